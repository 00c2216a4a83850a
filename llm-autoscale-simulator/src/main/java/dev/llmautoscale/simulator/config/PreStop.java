package dev.llmautoscale.simulator.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container's preStop hook as a sequence of steps the simulator can time: fixed sleeps and the guide's
 * "wait until {@code /active_requests} is 0" loop. Understood forms: {@code exec} {@code sleep N};
 * {@code exec} {@code sh -c} scripts made of {@code sleep N} (also {@code sleep "${VAR:-N}"}, VAR from the
 * container's env), {@code for i in $(seq 1 N); do ... active_requests ... sleep 1; done}, {@code touch} and
 * {@code echo}; and the {@code sleep} action ({@code lifecycle.preStop.sleep.seconds}).
 *
 * @param steps the steps, in order (empty: no hook)
 */
public record PreStop(List<Step> steps) {

    /** One step of the hook. */
    public sealed interface Step permits Sleep, WaitIdle {
    }

    /**
     * Sleeps a fixed time.
     *
     * @param seconds how long
     */
    public record Sleep(double seconds) implements Step {
    }

    /**
     * Polls the pod's in-flight count ({@code /active_requests}: running + queued) every {@code pollSeconds}, ends
     * as soon as it reads 0, at most {@code iterations} times.
     *
     * @param iterations  the loop bound
     * @param pollSeconds the sleep between polls
     */
    public record WaitIdle(int iterations, double pollSeconds) implements Step {
    }

    private static final Pattern SLEEP = Pattern.compile("^sleep\\s+\"?(\\$\\{(\\w+)(:-([0-9.]+))?}|[0-9.]+)\"?$");
    private static final Pattern FOR = Pattern.compile("^for\\s+\\w+\\s+in\\s+\\$\\(seq\\s+1\\s+(\\d+)\\);?\\s*(do)?$");

    /** @return the hook of a container without one */
    public static PreStop none() {
        return new PreStop(List.of());
    }

    /** @return the longest the hook can take (seconds) */
    public double maxSeconds() {
        double s = 0;
        for (Step st : steps) {
            s += st instanceof Sleep sl ? sl.seconds() : ((WaitIdle) st).iterations() * ((WaitIdle) st).pollSeconds();
        }
        return s;
    }

    static PreStop parse(ConfigNode preStop, Map<String, String> env) {
        if (preStop.isAbsent()) {
            return none();
        }
        preStop.requireObject();
        if (preStop.has("sleep")) {
            return new PreStop(List.of(new Sleep(preStop.get("sleep").number("seconds", 0, 0, 86_400))));
        }
        ConfigNode exec = preStop.get("exec");
        if (exec.isAbsent()) {
            throw preStop.fail("the simulator understands preStop exec (sleep N, the /active_requests loop) and the"
                    + " sleep action; got " + preStop.raw().fieldNames().next());
        }
        List<ConfigNode> cmd = exec.get("command").list();
        if (cmd.isEmpty()) {
            throw exec.get("command").fail("missing or empty; allowed: [\"sleep\", \"N\"] or [\"/bin/sh\", \"-c\", SCRIPT]");
        }
        String first = cmd.get(0).text();
        if (first.endsWith("sh") && cmd.size() >= 3 && cmd.get(1).text().equals("-c")) {
            return new PreStop(script(cmd.get(2), env));
        }
        if (first.equals("sleep") || first.endsWith("/sleep")) {
            if (cmd.size() != 2) {
                throw exec.get("command").fail("sleep takes one argument");
            }
            return new PreStop(List.of(new Sleep(seconds(cmd.get(1), cmd.get(1).text(), env))));
        }
        throw exec.get("command").fail("'" + first + "' is not understood; allowed: sleep N, or /bin/sh -c with"
                + " sleep N and the /active_requests loop");
    }

    private static List<Step> script(ConfigNode node, Map<String, String> env) {
        List<Step> steps = new ArrayList<>();
        String[] lines = node.text().split("\n");
        Integer loop = null;
        boolean loopReadsActive = false;
        for (String raw : lines) {
            if (raw.strip().startsWith("#")) {
                continue;
            }
            for (String part : raw.split(";(?![^(]*\\))")) {
                String line = part.strip();
                if (line.isEmpty() || line.equals("do")) {
                    continue;
                }
                if (loop != null) {
                    if (line.contains("active_requests")) {
                        loopReadsActive = true;
                    }
                    if (line.equals("done")) {
                        if (!loopReadsActive) {
                            throw node.fail("the loop 'for ... seq 1 " + loop + "' does not read /active_requests;"
                                    + " the simulator understands only the guide's drain loop");
                        }
                        steps.add(new WaitIdle(loop, 1));
                        loop = null;
                    }
                    continue;
                }
                Matcher f = FOR.matcher(line);
                if (f.matches()) {
                    loop = Integer.parseInt(f.group(1));
                    loopReadsActive = false;
                    continue;
                }
                if (line.startsWith("sleep")) {
                    steps.add(new Sleep(seconds(node, line.substring(5).strip(), env)));
                    continue;
                }
                if (line.startsWith("touch ") || line.startsWith("echo ") || line.equals("true")
                        || line.equals("exit 0") || line.equals("set -e")) {
                    continue;
                }
                throw node.fail("preStop script line '" + line + "' is not understood; allowed: sleep N,"
                        + " sleep \"${VAR:-N}\", touch, echo, and the guide's loop"
                        + " 'for i in $(seq 1 N); do ... /active_requests ... done'");
            }
        }
        if (loop != null) {
            throw node.fail("the for loop has no 'done'");
        }
        return List.copyOf(steps);
    }

    private static double seconds(ConfigNode node, String arg, Map<String, String> env) {
        Matcher m = SLEEP.matcher("sleep " + arg.strip());
        if (!m.matches()) {
            throw node.fail("'sleep " + arg + "' is not understood; allowed: sleep N or sleep \"${VAR:-N}\"");
        }
        String var = m.group(2);
        String value = m.group(1);
        if (var != null) {
            value = env.get(var);
            if (value == null) {
                value = m.group(4);
            }
            if (value == null) {
                throw node.fail("sleep reads ${" + var + "}, which the container env does not set and which has no"
                        + " default; allowed: sleep N or sleep \"${VAR:-N}\"");
            }
        }
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw node.fail("sleep " + value + ": not a number of seconds");
        }
    }
}
