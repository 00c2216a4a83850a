package dev.llmautoscale.simulator.cli;

import dev.llmautoscale.simulator.config.DeploymentSpec;
import dev.llmautoscale.simulator.config.FleetConfig;
import dev.llmautoscale.simulator.config.ConfigException;
import dev.llmautoscale.simulator.report.Reports;
import dev.llmautoscale.simulator.sim.Scenario;
import dev.llmautoscale.simulator.sim.Simulation;
import dev.llmautoscale.simulator.sim.SimulationResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code run}: one configuration on one workload. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Simulates one HPA or KEDA ScaledObject (with its Deployment) on one workload and prints the"
                + " summary; optionally writes the per-step CSV, the PNG chart and the HTML report.")
final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--config"}, paramLabel = "FILE", description = "Kubernetes YAML (multi-document):"
            + " the HorizontalPodAutoscaler or ScaledObject, optionally the Deployment and the prometheus-adapter"
            + " ConfigMap. Repeatable.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--replicas", paramLabel = "N", description = "No autoscaler: a fixed number of replicas"
            + " (instead of -f).")
    Integer replicas;

    @Option(names = "--csv", paramLabel = "FILE", description = "Write one row per simulation step.")
    Path csv;

    @Mixin
    SimulationOptions options;

    @Override
    public Integer call() throws Exception {
        Scenario scenario;
        if (replicas != null) {
            if (replicas < 0) {
                throw new ConfigException("(command line)", "--replicas", replicas + "; allowed: an integer >= 0");
            }
            DeploymentSpec dep = DeploymentSpec.absent("llm-inference");
            FleetConfig fleet = options.fleet(dep);
            scenario = Scenario.fixed("fixed-" + replicas, fleet, dep, replicas);
        } else {
            if (files.isEmpty()) {
                throw new ConfigException("(command line)", "-f", "missing; give the autoscaler's YAML with -f FILE"
                        + " (or --replicas N for a fixed fleet)");
            }
            scenario = options.scenario(null, files);
        }
        SimulationResult result = new Simulation(scenario, options.workload(), options.runOptions()).run();
        if (csv != null) {
            Reports.writeCsv(result, csv);
        }
        options.writeOutputs(List.of(result), "llm-autoscale-simulator: " + result.label(),
                spec.commandLine().getOut());
        return 0;
    }
}
