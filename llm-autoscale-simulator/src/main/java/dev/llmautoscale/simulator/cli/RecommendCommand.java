package dev.llmautoscale.simulator.cli;

import dev.llmautoscale.simulator.advisor.recommend.Recommendation;
import dev.llmautoscale.simulator.advisor.recommend.Recommender;
import dev.llmautoscale.simulator.advisor.recommend.Slo;
import dev.llmautoscale.simulator.config.ConfigException;
import dev.llmautoscale.simulator.config.Manifests;
import dev.llmautoscale.simulator.report.Reports;
import dev.llmautoscale.simulator.sim.SimulationResult;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code recommend}: the cheapest autoscaler config that meets the SLO on a workload. */
@Command(name = "recommend", mixinStandardHelpOptions = true,
        description = "Searches the knobs that matter (metric and target, scale-up and scale-down policies and"
                + " windows, min replicas, KEDA polling and cooldown) with the simulator, starting from an HPA or"
                + " ScaledObject, for the config with the fewest GPU-hours that meets the SLO; prints it as"
                + " ready-to-apply YAML with its summary beside the starting config's (as YAML comments)."
                + " Deterministic for a seed; --budget bounds the number of simulations.")
final class RecommendCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--config"}, paramLabel = "FILE", required = true, description = "The starting"
            + " autoscaler with its Deployment (and adapter rules), as for run. Repeatable.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--slo-p95-queue-wait-ms", paramLabel = "MS", description = "p95 admission queue wait bound.")
    Double p95QueueWaitMs;

    @Option(names = "--slo-p95-ttft-ms", paramLabel = "MS", description = "p95 time-to-first-token bound.")
    Double p95TtftMs;

    @Option(names = "--max-refused-percent", defaultValue = "1", paramLabel = "PERCENT", description = "At most"
            + " this share of the offered requests refused with 429 or 503 (default ${DEFAULT-VALUE}).")
    double maxRefusedPercent;

    @Option(names = "--budget", defaultValue = "100", paramLabel = "RUNS", description = "The most simulations to"
            + " run (default ${DEFAULT-VALUE}; each is one run of the workload).")
    int budget;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the recommended YAML here.")
    Path out;

    @Mixin
    SimulationOptions options;

    @Override
    public Integer call() throws Exception {
        if (budget < 2) {
            throw new ConfigException("(command line)", "--budget", budget + "; allowed: an integer >= 2");
        }
        if (!(maxRefusedPercent >= 0 && maxRefusedPercent <= 100)) {
            throw new ConfigException("(command line)", "--max-refused-percent", maxRefusedPercent
                    + "; allowed: 0 to 100");
        }
        if ((p95QueueWaitMs != null && !(p95QueueWaitMs >= 0)) || (p95TtftMs != null && !(p95TtftMs > 0))) {
            throw new ConfigException("(command line)", "--slo-p95-queue-wait-ms/--slo-p95-ttft-ms",
                    "allowed: positive numbers of milliseconds");
        }
        Slo slo = new Slo(p95TtftMs == null ? Double.NaN : p95TtftMs,
                p95QueueWaitMs == null ? Double.NaN : p95QueueWaitMs, maxRefusedPercent / 100);
        Manifests m = Manifests.load(files, options.target);
        options.scenario(null, files); // validates the start as run would
        String fleetFile = options.fleet == null ? "(defaults)" : options.fleet.toString();
        Recommender r = new Recommender(m, options.fleet(m.deployment()), fleetFile, options.rules(),
                options::workload, options.runOptions(), slo);
        PrintWriter err = spec.commandLine().getErr();
        Recommendation rec = r.search(budget, line -> {
            err.println(line);
            err.flush();
        });
        PrintWriter o = spec.commandLine().getOut();
        o.print(rec.yaml());
        o.println("# " + rec.runs() + " simulations; the recommended config "
                + (rec.bestMisses().isEmpty() ? "meets the SLO" : "misses the SLO: " + rec.bestMisses())
                + "; the starting config " + (rec.startMisses().isEmpty() ? "meets it" : "misses " + rec.startMisses()));
        List<SimulationResult> both = List.of(rec.start(), rec.best());
        for (String line : Reports.table(both).split("\n")) {
            o.println(line.isEmpty() ? "#" : "# " + line);
        }
        o.flush();
        if (out != null) {
            Files.writeString(out, rec.yaml(), StandardCharsets.UTF_8);
        }
        options.writeOutputs(both, "start vs recommended", new PrintWriter(java.io.Writer.nullWriter()));
        return rec.bestMisses().isEmpty() ? 0 : 1;
    }
}
