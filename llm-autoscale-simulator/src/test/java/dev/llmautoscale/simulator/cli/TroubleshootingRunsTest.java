package dev.llmautoscale.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The before/after runs of docs/TROUBLESHOOTING.md: for each of the guide's three problems the simulator runs the
 * configuration with the problem and the configurations with the guide's fixes on the same workload and seed, this test
 * writes the {@code compare} table and the figures the alerts would show into the document (between its
 * {@code <!-- run:NAME -->} markers), and asserts every claim the document's prose makes about them.
 */
class TroubleshootingRunsTest {

    private static final Path DOC = Path.of("..", "docs", "TROUBLESHOOTING.md");
    private static final String JAR = "java -jar llm-autoscale-simulator/target/llm-autoscale-simulator.jar";
    private static final String T = "llm-autoscale-simulator/examples/troubleshooting/";
    private static final String SPIKE = "llm-autoscale-simulator/examples/guide-spike.yaml";
    private static final String DEPLOYMENT = "deploy/base/deployment.yaml";
    private static final String RULES = "deploy/hpa/prometheus-adapter-rules.yaml";
    private static final String HPA = "deploy/hpa/hpa.yaml";
    private static final String KEDA = "deploy/keda/scaledobject.yaml";

    @TempDir
    Path out;

    /** One configuration of a comparison: a label, its files (repository-relative), an optional fleet file. */
    private record Config(String label, List<String> files, String fleet) {
        String argument() {
            return label + "=" + String.join(",", files);
        }
    }

    /** A run's JSON summary and its per-step CSV rows. */
    private record Run(JsonNode summary, List<Map<String, Integer>> steps) {
        long at(String pointer) {
            return summary.at(pointer).asLong();
        }

        /** Pod-minutes spent Pending (no node with a free GPU). */
        double pendingPodMinutes() {
            return steps.stream().mapToInt(s -> s.get("pending")).sum() / 60.0;
        }

        int maxPending() {
            return steps.stream().mapToInt(s -> s.get("pending")).max().orElse(0);
        }

        /**
         * Minutes during which the fleet's queue over its Ready pods stayed above 10 for 5 minutes: the condition of
         * LLMInferenceQueueBacklog (per pod there; the simulator reports fleet totals, so this is the per-pod average).
         */
        double backlogAlertMinutes() {
            // As Prometheus sees it: the rule evaluated every 30 s on the latest sample; pending until it held at
            // every evaluation for 5 minutes.
            int heldSince = -1;
            int firing = 0;
            for (int t = 0; t < steps.size(); t += 30) {
                Map<String, Integer> s = steps.get(t);
                if (s.get("queue_depth") > 10 * Math.max(1, s.get("ready"))) {
                    heldSince = heldSince < 0 ? t : heldSince;
                    if (t - heldSince >= 300) {
                        firing++;
                    }
                } else {
                    heldSince = -1;
                }
            }
            return firing / 2.0;
        }

        /**
         * Minutes LLMInferenceOverloadRejections fires: 429s above 0.1/s over 5 minutes, held for 5 minutes,
         * evaluated every 30 s.
         */
        double overloadAlertMinutes() {
            int heldSince = -1;
            int firing = 0;
            for (int t = 300; t < steps.size(); t += 30) {
                int refused = 0;
                for (int i = t - 299; i <= t; i++) {
                    refused += steps.get(i).get("rejected_429");
                }
                if (refused / 300.0 > 0.1) {
                    heldSince = heldSince < 0 ? t : heldSince;
                    if (t - heldSince >= 300) {
                        firing++;
                    }
                } else {
                    heldSince = -1;
                }
            }
            return firing / 2.0;
        }

        /**
         * Minutes LLMReplicaThrashing fires: the recording rule llm:deployment_replicas:last_direction (the sign of
         * spec.replicas against a minute before, kept between changes) evaluated every 30 s on the run's desired
         * replicas, and the alert's changes(...[30m]) >= 3.
         */
        double thrashAlertMinutes() {
            List<int[]> direction = new ArrayList<>();
            Integer last = null;
            int firing = 0;
            for (int t = 60; t < steps.size(); t += 30) {
                int d = steps.get(t).get("desired") - steps.get(t - 60).get("desired");
                if (d != 0) {
                    last = Integer.signum(d);
                }
                if (last != null) {
                    direction.add(new int[] {t, last});
                }
                int changes = 0;
                for (int i = 1; i < direction.size(); i++) {
                    if (direction.get(i)[0] > t - 1800 && direction.get(i)[1] != direction.get(i - 1)[1]
                            && direction.get(i - 1)[0] > t - 1800) {
                        changes++;
                    }
                }
                if (changes >= 3) {
                    firing++;
                }
            }
            return firing / 2.0;
        }
    }

    private static String module(String repoPath) {
        return Path.of("..").resolve(repoPath).toString();
    }

    private Run run(Config c, String workload) throws IOException {
        Path csv = out.resolve(c.label() + ".csv");
        List<String> args = new ArrayList<>(List.of("run", "--workload", module(workload), "--format", "json",
                "--csv", csv.toString()));
        if (c.fleet() != null) {
            args.addAll(List.of("--fleet", module(c.fleet())));
        }
        for (String f : c.files()) {
            args.addAll(List.of("-f", module(f)));
        }
        CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = Files.readAllLines(csv);
        String[] header = lines.get(0).split(",");
        List<Map<String, Integer>> steps = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            Map<String, Integer> row = new LinkedHashMap<>();
            for (int i = 0; i < header.length; i++) {
                row.put(header[i], Integer.parseInt(cells[i]));
            }
            steps.add(row);
        }
        return new Run(new ObjectMapper().readTree(r.out()), steps);
    }

    /**
     * Runs {@code compare} (all configurations must share one fleet file), or {@code run} for one configuration, and
     * returns the table it prints.
     */
    private static String compare(List<Config> configs, String workload) {
        List<String> args = new ArrayList<>(List.of(configs.size() == 1 ? "run" : "compare", "--workload",
                module(workload)));
        String fleet = configs.get(0).fleet();
        assertThat(configs).allSatisfy(c -> assertThat(c.fleet()).isEqualTo(fleet));
        if (fleet != null) {
            args.addAll(List.of("--fleet", module(fleet)));
        }
        for (Config c : configs) {
            List<String> files = c.files().stream().map(TroubleshootingRunsTest::module).toList();
            if (configs.size() == 1) {
                files.forEach(f -> args.addAll(List.of("-f", f)));
            } else {
                args.add(c.label() + "=" + String.join(",", files));
            }
        }
        CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r.out().strip();
    }

    private static String command(List<Config> configs, String workload) {
        StringBuilder b = new StringBuilder(JAR + (configs.size() == 1 ? " run \\\n" : " compare \\\n"));
        for (Config c : configs) {
            if (configs.size() == 1) {
                c.files().forEach(f -> b.append("    -f ").append(f).append(" \\\n"));
            } else {
                b.append("    ").append(c.argument()).append(" \\\n");
            }
        }
        if (configs.get(0).fleet() != null) {
            b.append("    --fleet ").append(configs.get(0).fleet()).append(" \\\n");
        }
        return b.append("    --workload ").append(workload).toString();
    }

    /** Replaces the block between {@code <!-- run:NAME -->} and {@code <!-- /run:NAME -->} in the document. */
    private static void write(String name, String block) throws IOException {
        String doc = Files.readString(DOC);
        String begin = "<!-- run:" + name + " (generated by TroubleshootingRunsTest; do not edit) -->\n";
        String end = "<!-- /run:" + name + " -->";
        int from = doc.indexOf(begin);
        int to = doc.indexOf(end);
        assertThat(from).as("docs/TROUBLESHOOTING.md has the marker " + begin.strip()).isNotNegative();
        assertThat(to).as("docs/TROUBLESHOOTING.md has the marker " + end).isGreaterThan(from);
        Files.writeString(DOC, doc.substring(0, from + begin.length()) + block + doc.substring(to));
    }

    private static String block(List<Config> configs, String workload, String compareTable, String extraTable) {
        return "```bash\n" + command(configs, workload) + "\n```\n\n```text\n" + compareTable + "\n```\n"
                + (extraTable.isEmpty() ? "" : "\n" + extraTable + "\n");
    }

    private static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String f1(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    @Test
    void podsScalingTooSlowly() throws IOException {
        List<String> base = List.of(DEPLOYMENT, RULES);
        Config before = new Config("before", concat(HPA, base), null);
        Config fast = new Config("fast", concat(T + "hpa-fast-scale-up.yaml", base), null);
        Config prewarmed = new Config("prewarmed", concat(T + "hpa-prewarmed.yaml", base), null);
        List<Config> knobs = List.of(before, fast, prewarmed);
        String fleet = T + "fleet-standby-nodes.yaml";
        Config standbyBefore = new Config("before", before.files(), fleet);
        Config standbyFast = new Config("fast", fast.files(), fleet);
        List<Config> standby = List.of(standbyBefore, standbyFast);

        Map<String, Run> r = new LinkedHashMap<>();
        for (Config c : knobs) {
            r.put(c.label(), run(c, SPIKE));
        }
        r.put("standby-before", run(standbyBefore, SPIKE));
        r.put("standby-fast", run(standbyFast, SPIKE));

        StringBuilder extra = new StringBuilder("| | before | fast | prewarmed | standby nodes: before | standby nodes:"
                + " fast |\n|---|---|---|---|---|---|\n| minutes LLMInferenceQueueBacklog holds |");
        for (Run run : r.values()) {
            extra.append(' ').append(f1(run.backlogAlertMinutes())).append(" |");
        }
        extra.append("\n| minutes LLMInferenceOverloadRejections fires |");
        for (Run run : r.values()) {
            extra.append(' ').append(f1(run.overloadAlertMinutes())).append(" |");
        }
        write("slow-scaling", block(knobs, SPIKE, compare(knobs, SPIKE), "") + "With standby GPU nodes:\n\n"
                + block(standby, SPIKE, compare(standby, SPIKE), extra.toString()));

        Run b = r.get("before");
        // The symptom: requests wait up to the 30 s limit and are refused; the backlog alert holds.
        assertThat(b.at("/requests/rejected429")).isGreaterThan(500);
        assertThat(b.overloadAlertMinutes()).isGreaterThanOrEqualTo(5);
        assertThat(r.get("prewarmed").overloadAlertMinutes()).isLessThan(b.overloadAlertMinutes());
        assertThat(r.get("standby-fast").overloadAlertMinutes()).isZero();
        // The guide's first two knobs alone barely move the reaction: the cold start (node, image, model) dominates.
        assertThat(r.get("fast").at("/scaling/reactionSeconds"))
                .isBetween((long) (b.at("/scaling/reactionSeconds") * 0.9), b.at("/scaling/reactionSeconds"));
        assertThat(r.get("fast").at("/requests/rejected429")).isLessThan(b.at("/requests/rejected429"));
        // Pre-warmed pods absorb the spike's start: refusals drop by more than 90%.
        assertThat(r.get("prewarmed").at("/requests/rejected429")).isLessThan(b.at("/requests/rejected429") / 10);
        // Fast scale-up on nodes that are already there: nothing refused, for about 10% more GPU-hours.
        Run sf = r.get("standby-fast");
        assertThat(sf.at("/requests/rejected429")).isZero();
        assertThat(sf.summary().at("/capacity/nodeGpuHours").asDouble())
                .isLessThan(b.summary().at("/capacity/nodeGpuHours").asDouble() * 1.15);
        // Standby nodes without the faster policy still refuse requests.
        assertThat(r.get("standby-before").at("/requests/rejected429")).isPositive();
        cited("before's refusals", b.at("/requests/rejected429"), 732L);
        cited("fast's refusals", r.get("fast").at("/requests/rejected429"), 381L);
        cited("before's reaction time", b.at("/scaling/reactionSeconds"), 335L);
        cited("fast's reaction time", r.get("fast").at("/scaling/reactionSeconds"), 330L);
        cited("fast's reversals", r.get("fast").at("/scaling/thrash"), 2L);
        cited("prewarmed's refusals", r.get("prewarmed").at("/requests/rejected429"), 34L);
        cited("standby before's refusals", r.get("standby-before").at("/requests/rejected429"), 579L);
        cited("before's node GPU-hours", f2(b.summary().at("/capacity/nodeGpuHours").asDouble()), "8.12");
        cited("prewarmed's node GPU-hours",
                f2(r.get("prewarmed").summary().at("/capacity/nodeGpuHours").asDouble()), "8.70");
        cited("standby fast's node GPU-hours", f2(sf.summary().at("/capacity/nodeGpuHours").asDouble()), "8.96");
    }

    @Test
    void gpuNodesUnavailable() throws IOException {
        List<String> base = List.of(DEPLOYMENT, RULES);
        String small = T + "fleet-small-pool.yaml";
        Config before = new Config("before", concat(HPA, base), small);
        Config capped = new Config("maxReplicas-4", concat(T + "hpa-max-from-pool.yaml", base), small);
        Config pool = new Config("pool-20", concat(HPA, base), null);
        Run b = run(before, SPIKE);
        Run c = run(capped, SPIKE);
        Run p = run(pool, SPIKE);
        List<Config> same = List.of(before, capped);
        String extra = "| | before (pool of 4) | maxReplicas 4 (pool of 4) | pool of 20 |\n|---|---|---|---|\n"
                + "| Pending pod-minutes | " + f1(b.pendingPodMinutes()) + " | " + f1(c.pendingPodMinutes()) + " | "
                + f1(p.pendingPodMinutes()) + " |\n"
                + "| most pods Pending at once | " + b.maxPending() + " | " + c.maxPending() + " | " + p.maxPending()
                + " |\n"
                + "| minutes LLMInferenceQueueBacklog holds | " + f1(b.backlogAlertMinutes()) + " | "
                + f1(c.backlogAlertMinutes()) + " | " + f1(p.backlogAlertMinutes()) + " |\n"
                + "| minutes LLMInferenceOverloadRejections fires | " + f1(b.overloadAlertMinutes()) + " | "
                + f1(c.overloadAlertMinutes()) + " | " + f1(p.overloadAlertMinutes()) + " |\n"
                + "| served / 429 | " + b.at("/requests/served") + " / " + b.at("/requests/rejected429") + " | "
                + c.at("/requests/served") + " / " + c.at("/requests/rejected429") + " | " + p.at("/requests/served")
                + " / " + p.at("/requests/rejected429") + " |";
        write("gpu-nodes", block(same, SPIKE, compare(same, SPIKE), "") + "The same HPA with a pool of 20 nodes (the"
                + " default fleet):\n\n" + block(List.of(pool), SPIKE, compare(List.of(pool), SPIKE), extra));

        // The symptom: the HPA asks for more pods than the pool has GPUs; they sit Pending while the queue backs up.
        assertThat(b.summary().at("/capacity/maxNodes").asInt()).isEqualTo(4);
        assertThat(b.maxPending()).isGreaterThanOrEqualTo(5);
        assertThat(b.pendingPodMinutes()).isGreaterThan(100);
        assertThat(b.backlogAlertMinutes()).isPositive();
        // maxReplicas from the pool: no more Pending pods that only look like capacity, and the same service
        // (capping does not add a GPU).
        assertThat(c.pendingPodMinutes()).isLessThan(b.pendingPodMinutes() / 10);
        assertThat(c.at("/requests/served")).isEqualTo(b.at("/requests/served"));
        assertThat(c.at("/requests/rejected429")).isEqualTo(b.at("/requests/rejected429"));
        // Only GPUs add capacity: a pool of 20 serves far more of the spike.
        assertThat(p.at("/requests/rejected429")).isLessThan(b.at("/requests/rejected429") / 2);
        // lint finds it before deployment, with the pool in the fleet file.
        CliRunner.Result lintBefore = CliRunner.run("lint", "--fleet", module(small), "-f", module(HPA), "-f",
                module(DEPLOYMENT), "-f", module(RULES));
        assertThat(lintBefore.exitCode()).isEqualTo(1);
        assertThat(lintBefore.out()).contains("max-replicas-above-node-pool").endsWith("lint: 1 finding\n");
        CliRunner.Result lintCapped = CliRunner.run("lint", "--fleet", module(small), "-f",
                module(T + "hpa-max-from-pool.yaml"), "-f", module(DEPLOYMENT), "-f", module(RULES));
        assertThat(lintCapped.out()).isEqualTo("lint: no findings\n");
        cited("Pending pods at once", b.maxPending(), 6);
        cited("Pending pod-minutes", f1(b.pendingPodMinutes()), "293.4");
        cited("capped Pending pod-minutes", f1(c.pendingPodMinutes()), "6.3");
        cited("pool of 20 Pending pod-minutes", f1(p.pendingPodMinutes()), "25.8");
        cited("served in the small pool", b.at("/requests/served"), 7026L);
        cited("refused in the small pool", b.at("/requests/rejected429"), 2566L);
        cited("refused on a pool of 20", p.at("/requests/rejected429"), 732L);
    }

    @Test
    void thrashing() throws IOException {
        String bursts = T + "bursts.yaml";
        Config before = new Config("before", List.of(KEDA, DEPLOYMENT), null);
        Config cooldown = new Config("cooldown-900", List.of(T + "keda-long-cooldown.yaml", DEPLOYMENT), null);
        Config steady = new Config("steady", List.of(T + "keda-steady.yaml", DEPLOYMENT), null);
        List<Config> all = List.of(before, cooldown, steady);
        Run b = run(before, bursts);
        Run c = run(cooldown, bursts);
        Run s = run(steady, bursts);
        String extra = "| | before | cooldown-900 | steady |\n|---|---|---|---|\n"
                + "| minutes LLMReplicaThrashing fires | " + f1(b.thrashAlertMinutes()) + " | "
                + f1(c.thrashAlertMinutes()) + " | " + f1(s.thrashAlertMinutes()) + " |";
        write("thrashing", block(all, bursts, compare(all, bursts), extra));

        // The symptom: the fleet reverses direction again and again; the alert fires.
        assertThat(b.at("/scaling/thrash")).isGreaterThanOrEqualTo(10);
        assertThat(b.thrashAlertMinutes()).isPositive();
        // A longer cooldownPeriod changes nothing above zero replicas: the very same run.
        for (String part : List.of("/requests", "/latencyMs", "/scaling", "/capacity")) {
            assertThat(c.summary().at(part)).as(part).isEqualTo(b.summary().at(part));
        }
        assertThat(c.at("/scaling/thrash")).isEqualTo(b.at("/scaling/thrash"));
        assertThat(c.at("/requests/served")).isEqualTo(b.at("/requests/served"));
        // A scale-down window longer than the lulls plus a less sensitive signal: a third of the reversals or
        // fewer, fewer refusals, for about 10% more node GPU-hours.
        assertThat(s.at("/scaling/thrash")).isLessThanOrEqualTo(b.at("/scaling/thrash") / 3);
        assertThat(s.at("/requests/rejected429")).isLessThan(b.at("/requests/rejected429"));
        assertThat(s.thrashAlertMinutes()).isLessThan(b.thrashAlertMinutes() / 3);
        assertThat(s.summary().at("/capacity/nodeGpuHours").asDouble())
                .isLessThan(b.summary().at("/capacity/nodeGpuHours").asDouble() * 1.15);
        cited("before's node GPU-hours", f2(b.summary().at("/capacity/nodeGpuHours").asDouble()), "16.78");
        cited("steady's node GPU-hours", f2(s.summary().at("/capacity/nodeGpuHours").asDouble()), "18.47");
        cited("before's reversals", b.at("/scaling/thrash"), 17L);
        cited("steady's reversals", s.at("/scaling/thrash"), 4L);
        cited("before's thrash alert minutes", f1(b.thrashAlertMinutes()), "99.5");
        cited("steady's thrash alert minutes", f1(s.thrashAlertMinutes()), "17.5");
        cited("before's refusals", b.at("/requests/rejected429"), 2287L);
        cited("steady's refusals", s.at("/requests/rejected429"), 1524L);
        cited("steady's TTFT attainment", f2(s.summary().at("/slo/ttftAttainment").asDouble()), "0.65");
        cited("before's TTFT attainment", f2(b.summary().at("/slo/ttftAttainment").asDouble()), "0.49");
    }

    /** A figure the document's prose cites: when a manifest change moves it, the prose must be updated too. */
    private static void cited(String what, Object actual, Object inProse) {
        assertThat(actual).as("docs/TROUBLESHOOTING.md cites " + what + " as " + inProse
                + "; the run now gives " + actual + ": update the prose").isEqualTo(inProse);
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }
}
