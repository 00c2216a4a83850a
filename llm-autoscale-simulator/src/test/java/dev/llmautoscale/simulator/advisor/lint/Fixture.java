package dev.llmautoscale.simulator.advisor.lint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.llmautoscale.simulator.config.ConfigNode;
import dev.llmautoscale.simulator.config.FleetConfig;
import dev.llmautoscale.simulator.config.FleetFile;
import dev.llmautoscale.simulator.config.Manifests;
import dev.llmautoscale.simulator.sim.RunOptions;
import dev.llmautoscale.simulator.sim.Scenario;
import dev.llmautoscale.simulator.sim.Simulation;
import dev.llmautoscale.simulator.sim.SimulationResult;
import dev.llmautoscale.simulator.workload.WorkloadFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A configuration written to files, linted with {@link Linter} and simulated with the engine's API (what
 * {@code run} does), so a test can show the failure a finding predicts.
 */
final class Fixture {

    /** The example server's model, as a container env list. */
    static final String ENV = "- {name: MODEL_NAME, value: llama-2-13b-chat}";

    private final Path dir;
    private final List<Path> files = new ArrayList<>();
    private String fleet = "";
    private String target;

    Fixture(Path dir) {
        this.dir = dir;
    }

    Fixture file(String yaml) {
        try {
            // Unique names: several fixtures of one test share the directory.
            Path p = Files.createTempFile(dir, "config-", ".yaml");
            Files.writeString(p, yaml);
            files.add(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    Fixture file(Path existing) {
        files.add(existing);
        return this;
    }

    Fixture fleet(String yaml) {
        this.fleet = yaml;
        return this;
    }

    Fixture target(String name) {
        this.target = name;
        return this;
    }

    private ConfigNode fleetRoot() {
        return new ConfigNode(yaml(fleet), "fleet.yaml", "");
    }

    private static com.fasterxml.jackson.databind.JsonNode yaml(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Finding> lint() {
        return Linter.lint(files, target, fleetRoot(), null);
    }

    /** @return the ids of the findings */
    List<String> rules() {
        return lint().stream().map(Finding::rule).toList();
    }

    SimulationResult run(String workloadYaml) {
        Manifests m = Manifests.load(files, target);
        FleetConfig f = FleetFile.parse(fleetRoot(), m.deployment());
        Scenario s = Scenario.of(null, m, f, null);
        var w = WorkloadFile.parse(new ConfigNode(yaml(workloadYaml), "workload.yaml", ""), dir, 1);
        return new Simulation(s, w, RunOptions.defaults()).run();
    }

    /**
     * A Deployment of the example server, one container asking for one GPU.
     *
     * @param podSpec   extra pod spec fields (YAML, unindented), such as terminationGracePeriodSeconds
     * @param env       the container's env list (YAML, unindented), such as "[]"
     * @param container extra container fields (YAML, unindented): probes, lifecycle, resources
     */
    static String deployment(String podSpec, String env, String container) {
        return "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: llm-inference}\nspec:\n  replicas: 1\n"
                + "  template:\n    spec:\n" + podSpec.indent(6) + "      containers:\n      - name: server\n"
                + "        env:\n" + env.indent(8) + container.indent(8)
                + (container.contains("resources:") ? "" : "        resources: {limits: {nvidia.com/gpu: \"1\"}}\n");
    }

    /** An HPA on llm-inference with the given metrics and behavior (each indented 2 spaces under spec). */
    static String hpa(int min, int max, String metrics, String behavior) {
        return """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: hpa}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: llm-inference}
                """ + "  minReplicas: " + min + "\n  maxReplicas: " + max + "\n  metrics:\n" + metrics.indent(2)
                + (behavior.isEmpty() ? "" : "  behavior:\n" + behavior.indent(4));
    }

    /** A Pods metric served by the bundled adapter rules. */
    static String podsMetric(String name, String averageValue) {
        return "- type: Pods\n  pods:\n    metric: {name: " + name + "}\n    target: {type: AverageValue, averageValue: \""
                + averageValue + "\"}\n";
    }

    /** A ScaledObject on llm-inference with one prometheus trigger. */
    static String scaledObject(int min, int max, String query, String threshold, String advanced) {
        return """
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: so}
                spec:
                  scaleTargetRef: {name: llm-inference}
                """ + "  minReplicaCount: " + min + "\n  maxReplicaCount: " + max + "\n"
                + (advanced.isEmpty() ? "" : "  advanced:\n" + advanced.indent(4))
                + "  triggers:\n  - type: prometheus\n    metadata:\n      serverAddress: http://prometheus:9090\n"
                + "      threshold: \"" + threshold + "\"\n      query: '" + query + "'\n";
    }
}
