package dev.llmautoscale.examples.loadgen;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The command line: {@code java -jar loadgen.jar [options]}; {@code --help} lists them. */
public final class LoadGen {

    static final String USAGE = String.join("\n",
            "usage: java -jar loadgen.jar [options]",
            "",
            "Sends open-loop load to an OpenAI-compatible server and reports 200/429/503/errors, time to first token",
            "and end-to-end latency percentiles; writes one CSV row per request.",
            "",
            "  --url URL               server base URL                          (default http://localhost:8000)",
            "  --api completions|chat  endpoint: /v1/completions or /v1/chat/completions     (default completions)",
            "  --model NAME            model name                                  (default: the server's first)",
            "  --profile P             constant | ramp | spike | poisson | replay               (default constant)",
            "  --rate R                requests/s for constant and poisson                               (default 5)",
            "  --from R --to R         ramp: rate at the start and at the end of --duration     (default 0.5, --rate)",
            "  --base R --peak R       spike: rate outside and during the spike          (default --rate, 10 x base)",
            "  --spike-at S            spike: start, seconds                               (default duration / 3)",
            "  --spike-length S        spike: length, seconds                              (default duration / 6)",
            "  --trace FILE            replay: CSV of time_offset_seconds,prompt_tokens,max_tokens",
            "  --speed X               replay: speed factor, 2 = twice as fast                           (default 1)",
            "  --seed N                poisson: random seed                                             (default 42)",
            "  --duration S            stop sending after S seconds                                     (default 30)",
            "  --requests N            stop sending after N requests                             (default unbounded)",
            "  --prompt-tokens N       prompt tokens per request (4 characters each)                   (default 128)",
            "  --max-tokens N          output tokens per request                                        (default 64)",
            "  --stream true|false     server-sent events; needed for time to first token             (default true)",
            "  --timeout S             per-request timeout, body included                              (default 120)",
            "  --max-in-flight N       drop (and count) arrivals beyond N outstanding requests        (default 1024)",
            "  --csv FILE              where to write one row per request                      (default loadgen.csv)",
            "  --quiet                 no progress line on stderr",
            "  --help                  this text");

    private static final Set<String> FLAGS = Set.of("quiet", "help");
    private static final Set<String> OPTIONS = Set.of("url", "api", "model", "profile", "rate", "from", "to", "base",
            "peak", "spike-at", "spike-length", "trace", "speed", "seed", "duration", "requests", "prompt-tokens",
            "max-tokens", "stream", "timeout", "max-in-flight", "csv");

    private LoadGen() {
    }

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command line.
     *
     * @param args the arguments
     * @param out where the summary goes
     * @param err where the progress line and errors go
     * @return 0 when the run completed, 2 for bad arguments, 1 when the run failed
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, String> o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("loadgen: " + e.getMessage());
            err.println("run with --help for the options");
            return 2;
        }
        if (o.containsKey("help")) {
            out.println(USAGE);
            return 0;
        }
        LoadConfig config;
        Schedule schedule;
        Path csv;
        String profile;
        try {
            config = config(o);
            profile = o.getOrDefault("profile", "constant");
            schedule = schedule(o, profile);
            csv = Path.of(o.getOrDefault("csv", "loadgen.csv"));
        } catch (IllegalArgumentException | IOException e) {
            err.println("loadgen: " + e.getMessage());
            return 2;
        }
        out.printf(Locale.ROOT, "loadgen: %s profile -> %s (%s, stream=%s)%n", profile, config.endpoint(),
                config.model() == null ? "server's default model" : "model " + config.model(), config.stream());
        LoadReport report;
        try {
            report = new LoadGenerator(config, o.containsKey("quiet") ? null : err).run(schedule);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("loadgen: interrupted");
            return 1;
        }
        out.print(report.summary());
        try {
            report.writeCsv(csv);
            out.println("  csv      " + csv.toAbsolutePath());
        } catch (IOException e) {
            err.println("loadgen: could not write " + csv + ": " + e.getMessage());
            return 1;
        }
        return 0;
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'");
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (FLAGS.contains(name)) {
                if (value != null) {
                    throw new IllegalArgumentException("--" + name + " takes no value");
                }
                o.put(name, "true");
                continue;
            }
            if (!OPTIONS.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
                value = args[++i];
            }
            if (o.put(name, value) != null) {
                throw new IllegalArgumentException("--" + name + " given twice");
            }
        }
        return o;
    }

    static LoadConfig config(Map<String, String> o) {
        String api = o.getOrDefault("api", "completions");
        Api which = switch (api) {
            case "completions" -> Api.COMPLETIONS;
            case "chat" -> Api.CHAT;
            default -> throw new IllegalArgumentException("--api must be completions or chat, got '" + api + "'");
        };
        URI url;
        try {
            url = URI.create(o.getOrDefault("url", "http://localhost:8000"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--url is not a URL: " + e.getMessage());
        }
        return new LoadConfig(url, which, o.get("model"), bool(o, "stream", true),
                Duration.ofMillis(Math.round(number(o, "timeout", 120) * 1000)), integer(o, "max-in-flight", 1024));
    }

    static Schedule schedule(Map<String, String> o, String profile) throws IOException {
        double duration = number(o, "duration", 30);
        if (!(duration > 0)) {
            throw new IllegalArgumentException("--duration must be > 0, got " + duration);
        }
        long requests = o.containsKey("requests") ? integer(o, "requests", 0) : Long.MAX_VALUE;
        int prompt = integer(o, "prompt-tokens", 128);
        int max = integer(o, "max-tokens", 64);
        if (prompt < 1 || max < 1) {
            throw new IllegalArgumentException("--prompt-tokens and --max-tokens must be >= 1");
        }
        double rate = number(o, "rate", 5);
        Schedule s = switch (profile) {
            case "constant" -> RateProfile.constant(rate).schedule(prompt, max);
            case "ramp" -> RateProfile.ramp(number(o, "from", 0.5), number(o, "to", rate), duration)
                    .schedule(prompt, max);
            case "spike" -> {
                double base = number(o, "base", rate);
                yield RateProfile.spike(base, number(o, "peak", 10 * Math.max(base, 0.1)),
                        number(o, "spike-at", duration / 3), number(o, "spike-length", duration / 6))
                        .schedule(prompt, max);
            }
            case "poisson" -> new PoissonSchedule(rate, integer(o, "seed", 42), prompt, max);
            case "replay" -> {
                String trace = o.get("trace");
                if (trace == null) {
                    throw new IllegalArgumentException("--profile replay needs --trace FILE");
                }
                try (Reader r = Files.newBufferedReader(Path.of(trace), StandardCharsets.UTF_8)) {
                    yield TraceSchedule.parse(r, number(o, "speed", 1));
                }
            }
            default -> throw new IllegalArgumentException("--profile must be one of "
                    + List.of("constant", "ramp", "spike", "poisson", "replay") + ", got '" + profile + "'");
        };
        return Schedule.bounded(s, Math.round(duration * 1e9), requests);
    }

    private static double number(Map<String, String> o, String name, double fallback) {
        String v = o.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v);
            if (!Double.isNaN(d) && !Double.isInfinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--" + name + " must be a number, got '" + v + "'");
    }

    private static int integer(Map<String, String> o, String name, int fallback) {
        String v = o.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be an integer, got '" + v + "'");
        }
    }

    private static boolean bool(Map<String, String> o, String name, boolean fallback) {
        String v = o.get(name);
        if (v == null) {
            return fallback;
        }
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new IllegalArgumentException("--" + name + " must be true or false, got '" + v + "'");
    }
}
