package dev.llmautoscale.simulator.cli;

import dev.llmautoscale.simulator.config.ConfigException;
import dev.llmautoscale.simulator.sim.RunOptions;
import dev.llmautoscale.simulator.sim.Scenario;
import dev.llmautoscale.simulator.sim.Simulation;
import dev.llmautoscale.simulator.sim.SimulationResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code compare}: several configurations on one workload, one table, one overlaid chart, one HTML report. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Simulates several configurations on the same workload and seed: one table (a column per"
                + " configuration), one overlaid chart, one HTML report.")
final class CompareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "2..*", paramLabel = "[LABEL=]FILE[,FILE...]", description = "One configuration per"
            + " argument: its YAML files, comma-separated, optionally labelled (guide=hpa.yaml,deployment.yaml).")
    List<String> configs;

    @Mixin
    SimulationOptions options;

    @Override
    public Integer call() throws Exception {
        RunOptions run = options.runOptions();
        List<Scenario> scenarios = new ArrayList<>();
        for (String c : configs) {
            String label = null;
            String list = c;
            int eq = c.indexOf('=');
            if (eq > 0) {
                label = c.substring(0, eq);
                list = c.substring(eq + 1);
            }
            List<Path> files = new ArrayList<>();
            for (String f : list.split(",")) {
                if (f.isBlank()) {
                    throw new ConfigException("(command line)", c, "an empty file name; allowed: [LABEL=]FILE[,FILE...]");
                }
                files.add(Path.of(f.strip()));
            }
            scenarios.add(options.scenario(label, files));
        }
        List<SimulationResult> results = new ArrayList<>();
        for (Scenario s : scenarios) {
            results.add(new Simulation(s, options.workload(), run).run());
        }
        options.writeOutputs(results, "llm-autoscale-simulator: compare", spec.commandLine().getOut());
        return 0;
    }
}
