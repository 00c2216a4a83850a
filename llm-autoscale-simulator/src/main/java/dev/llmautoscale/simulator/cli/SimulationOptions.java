package dev.llmautoscale.simulator.cli;

import dev.llmautoscale.simulator.config.AdapterRules;
import dev.llmautoscale.simulator.config.ConfigException;
import dev.llmautoscale.simulator.config.ConfigNode;
import dev.llmautoscale.simulator.config.DeploymentSpec;
import dev.llmautoscale.simulator.config.FleetConfig;
import dev.llmautoscale.simulator.config.FleetFile;
import dev.llmautoscale.simulator.config.Manifests;
import dev.llmautoscale.simulator.report.Charts;
import dev.llmautoscale.simulator.report.HtmlReport;
import dev.llmautoscale.simulator.report.Reports;
import dev.llmautoscale.simulator.sim.RunOptions;
import dev.llmautoscale.simulator.sim.Scenario;
import dev.llmautoscale.simulator.sim.SimulationResult;
import dev.llmautoscale.simulator.workload.Workload;
import dev.llmautoscale.simulator.workload.WorkloadFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** The options {@code run} and {@code compare} share: fleet, workload, seed, SLO and outputs. */
final class SimulationOptions {

    @Option(names = "--fleet", paramLabel = "FILE", description = "Fleet file (YAML; see docs/SIMULATOR.md)."
            + " Default: the example server's settings.")
    Path fleet;

    @Option(names = "--workload", paramLabel = "FILE", required = true, description = "Workload file (YAML):"
            + " constant, ramp, spike, diurnal, bursts, trace (CSV), prometheus (query_range JSON).")
    Path workload;

    @Option(names = "--target", paramLabel = "NAME", description = "The Deployment whose autoscaler to simulate"
            + " (default: the only autoscaler in the files).")
    String target;

    @Option(names = "--adapter-rules", paramLabel = "FILE", description = "prometheus-adapter configuration"
            + " (rules:, externalRules:) or its ConfigMap, for HPA Pods, Object and External metrics. Default: rules"
            + " found in the files, else deploy/hpa/prometheus-adapter-rules.yaml (bundled).")
    Path adapterRules;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--step", defaultValue = "1", paramLabel = "SECONDS",
            description = "Simulation step (default ${DEFAULT-VALUE} s).")
    double step;

    @Option(names = "--slo-ttft-ms", defaultValue = "2000", description = "TTFT target (default ${DEFAULT-VALUE}).")
    double sloTtftMs;

    @Option(names = "--slo-e2e-ms", defaultValue = "30000", description = "End-to-end target (default"
            + " ${DEFAULT-VALUE}).")
    double sloE2eMs;

    @Option(names = "--thrash-window", defaultValue = "600", paramLabel = "SECONDS", description = "A reversal of"
            + " the scaling direction within this long counts as thrash (default ${DEFAULT-VALUE}).")
    double thrashWindow;

    @Option(names = "--rolling-restart-at", paramLabel = "SECONDS", description = "Start a rolling restart of the"
            + " Deployment at this time (maxSurge / maxUnavailable from the Deployment).")
    Double rollingRestartAt;

    @Option(names = "--format", defaultValue = "table", description = "Summary on stdout: table or json"
            + " (default ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--png", paramLabel = "FILE", description = "Write the chart (PNG).")
    Path png;

    @Option(names = "--html", paramLabel = "FILE", description = "Write the self-contained HTML report.")
    Path html;

    RunOptions runOptions() {
        if (!(step > 0) || step > 60) {
            throw new ConfigException("(command line)", "--step", step + " is out of range; allowed: a number of"
                    + " seconds > 0 and <= 60");
        }
        if (!format.equals("table") && !format.equals("json")) {
            throw new ConfigException("(command line)", "--format", "'" + format + "'; allowed values: table, json");
        }
        if (!(sloTtftMs > 0) || !(sloE2eMs > 0) || !(thrashWindow >= 0)) {
            throw new ConfigException("(command line)", "--slo-ttft-ms/--slo-e2e-ms/--thrash-window",
                    "allowed: positive numbers");
        }
        return new RunOptions(seed, step, sloTtftMs, sloE2eMs, thrashWindow,
                rollingRestartAt == null ? Double.NaN : rollingRestartAt);
    }

    FleetConfig fleet(DeploymentSpec deployment) {
        ConfigNode root = fleet == null ? new ConfigNode(null, "(defaults)", "") : Manifests.readSingle(fleet);
        return FleetFile.parse(root, deployment);
    }

    Workload workload() {
        ConfigNode root = Manifests.readSingle(workload);
        if (root.isAbsent()) {
            throw root.fail("the workload file is empty; it needs at least type");
        }
        Path dir = workload.toAbsolutePath().getParent();
        return WorkloadFile.parse(root, dir, seed);
    }

    AdapterRules rules() {
        if (adapterRules == null) {
            return null;
        }
        List<ConfigNode> docs = Manifests.readDocuments(adapterRules);
        for (ConfigNode d : docs) {
            AdapterRules r = d.has("rules") || d.has("externalRules") ? AdapterRules.parse(d, adapterRules.toString())
                    : AdapterRules.fromConfigMap(d);
            if (r != null) {
                return r;
            }
        }
        throw new ConfigException(adapterRules.toString(), "rules", "no prometheus-adapter rules found (expected a"
                + " rules: or externalRules: list, or a ConfigMap whose data holds one)");
    }

    Scenario scenario(String label, List<Path> files) {
        Manifests m = Manifests.load(files, target);
        return Scenario.of(label, m, fleet(m.deployment()), rules());
    }

    void writeOutputs(List<SimulationResult> results, String title, PrintWriter out) throws IOException {
        out.print(format.equals("json") ? Reports.json(results) : Reports.table(results));
        out.flush();
        if (png != null || html != null) {
            byte[] chart = Charts.png(results, title);
            if (png != null) {
                Files.write(png, chart);
            }
            if (html != null) {
                Files.writeString(html, HtmlReport.html(results, title, chart), StandardCharsets.UTF_8);
            }
        }
    }
}
