package dev.llmautoscale.simulator.advisor.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.simulator.sim.Summary;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules on what the autoscaler reads: each broken config gets its finding, and {@code run} shows the failure the
 * finding predicts; the fixed config gets no such finding and scales.
 */
class MetricRulesTest {

    /** Six requests a second: about five times what one replica of the example server serves. */
    static final String OVERLOAD = "type: constant\nrate: 6\nduration: 900\narrivals: uniform\n";
    /** Light load: one replica is plenty. */
    static final String LIGHT = "type: constant\nrate: 0.3\nduration: 900\narrivals: uniform\n";

    @TempDir
    Path dir;

    private Summary run(Fixture f, String workload) {
        return f.run(workload).summary();
    }

    private Fixture keda(String query, String threshold) {
        return new Fixture(dir).file(Fixture.scaledObject(1, 8, query, threshold, ""));
    }

    @Test
    void aSeriesTheLibraryDoesNotExportNeverScales() {
        Fixture broken = keda("sum(inference_queue_depth)", "10");
        assertThat(broken.lint()).filteredOn(f -> f.rule().equals("metric-not-exported")).singleElement()
                .satisfies(f -> {
                    assertThat(f.field()).isEqualTo("spec.triggers[0].metadata.query");
                    assertThat(f.object()).isEqualTo("ScaledObject/so");
                    assertThat(f.fix()).contains("llm_inference_queue_depth");
                });
        Summary s = run(broken, OVERLOAD);
        assertThat(s.maxReplicas()).as(s.toString()).isEqualTo(1);
        assertThat(s.rejected()).isGreaterThan(s.offered() / 3);

        Fixture fixed = keda("sum(llm_inference_queue_depth)", "10");
        assertThat(fixed.rules()).doesNotContain("metric-not-exported");
        assertThat(run(fixed, OVERLOAD).maxReplicas()).isGreaterThan(4);
    }

    @Test
    void anHpaMetricNoAdapterRuleServesIsReported() {
        Fixture broken = new Fixture(dir).file(Fixture.hpa(1, 8, Fixture.podsMetric("queue_depth", "10"), ""));
        assertThat(broken.lint()).filteredOn(f -> f.rule().equals("metric-not-exported")).singleElement()
                .satisfies(f -> assertThat(f.field()).isEqualTo("spec.metrics[0].pods.metric.name"));
        Fixture fixed = new Fixture(dir).file(Fixture.hpa(1, 8, Fixture.podsMetric("inference_queue_depth", "10"),
                ""));
        assertThat(fixed.rules()).doesNotContain("metric-not-exported");
    }

    @Test
    void anExternalMetricNeedsAnExternalRuleAndScalesWithOne() {
        String external = """
                - type: External
                  external:
                    metric: {name: fleet_queue_depth}
                    target: {type: AverageValue, averageValue: "10"}
                """;
        String deployment = Fixture.deployment("", Fixture.ENV, "");
        // The bundled rules have no externalRules: the HPA gets FailedGetExternalMetric and holds one replica.
        Fixture broken = new Fixture(dir).file(Fixture.hpa(1, 8, external, "")).file(deployment);
        assertThat(broken.lint()).filteredOn(f -> f.rule().equals("metric-not-exported")).singleElement()
                .satisfies(f -> {
                    assertThat(f.field()).isEqualTo("spec.metrics[0].external.metric.name");
                    assertThat(f.problem()).contains("FailedGetExternalMetric");
                });
        Summary s = run(broken, OVERLOAD);
        assertThat(s.maxReplicas()).as(s.toString()).isEqualTo(1);

        Fixture fixed = new Fixture(dir).file(Fixture.hpa(1, 8, external, "")).file(deployment).file("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: adapter}
                data:
                  config.yaml: |
                    externalRules:
                      - seriesQuery: 'llm_inference_queue_depth{namespace!=""}'
                        resources:
                          overrides:
                            namespace: {resource: "namespace"}
                        name: {matches: "^llm_inference_queue_depth$", as: "fleet_queue_depth"}
                        metricsQuery: 'sum by (<<.GroupBy>>) (<<.Series>>{<<.LabelMatchers>>})'
                """);
        assertThat(fixed.rules()).doesNotContain("metric-not-exported");
        assertThat(run(fixed, OVERLOAD).maxReplicas()).isGreaterThan(4);
    }

    @Test
    void aLabelTheFamilyDoesNotHaveMatchesNothing() {
        Fixture broken = keda("sum(llm_inference_queue_depth{model=\"llama-2-13b-chat\"})", "10");
        assertThat(broken.lint()).filteredOn(f -> f.rule().equals("unknown-label")).singleElement()
                .satisfies(f -> assertThat(f.problem()).contains("'llm_inference_queue_depth' has no label 'model'"));
        assertThat(run(broken, OVERLOAD).maxReplicas()).isEqualTo(1);

        // The per-model family has the label.
        Fixture fixed = keda("sum(llm_requests_waiting{model=\"llama-2-13b-chat\"})", "10");
        assertThat(fixed.rules()).doesNotContain("unknown-label", "metric-not-exported");
        assertThat(run(fixed, OVERLOAD).maxReplicas()).isGreaterThan(4);
    }

    @Test
    void aQueueTargetAtTheQueueCapacityIsNeverReached() {
        Fixture broken = new Fixture(dir).file(Fixture.hpa(1, 8, Fixture.podsMetric("inference_queue_depth", "64"),
                ""));
        assertThat(broken.lint()).filteredOn(f -> f.rule().equals("queue-target-unreachable")).singleElement()
                .satisfies(f -> assertThat(f.field()).isEqualTo("spec.metrics[0].pods.target"));
        Summary s = run(broken, OVERLOAD);
        assertThat(s.maxReplicas()).as(s.toString()).isEqualTo(1);
        assertThat(s.rejected()).isGreaterThan(s.offered() / 3);

        Fixture fixed = new Fixture(dir).file(Fixture.hpa(1, 8, Fixture.podsMetric("inference_queue_depth", "10"),
                ""));
        assertThat(fixed.rules()).doesNotContain("queue-target-unreachable");
        assertThat(run(fixed, OVERLOAD).maxReplicas()).isGreaterThan(4);
    }

    @Test
    void aPercentTargetOnARatioIsNeverReached() {
        Fixture broken = keda("avg(llm_capacity_utilization_ratio)", "80");
        assertThat(broken.lint()).filteredOn(f -> f.rule().equals("percent-target-on-ratio")).singleElement()
                .satisfies(f -> assertThat(f.fix()).contains("0.8"));
        assertThat(run(broken, OVERLOAD).maxReplicas()).isEqualTo(1);

        Fixture fixed = keda("avg(llm_capacity_utilization_ratio)", "0.8");
        assertThat(fixed.rules()).doesNotContain("percent-target-on-ratio", "target-out-of-range");
        assertThat(run(fixed, OVERLOAD).maxReplicas()).isGreaterThan(1);
    }

    @Test
    void aRatioTargetOnAPercentageIsAlwaysExceeded() {
        Fixture broken = new Fixture(dir).file(Fixture.hpa(1, 8, Fixture.podsMetric("gpu_utilization", "0.75"),
                ""));
        assertThat(broken.lint()).filteredOn(f -> f.rule().equals("target-out-of-range")).singleElement()
                .satisfies(f -> assertThat(f.fix()).contains("75"));
        assertThat(run(broken, LIGHT).maxReplicas()).isEqualTo(8);

        Fixture fixed = new Fixture(dir).file(Fixture.hpa(1, 8, Fixture.podsMetric("gpu_utilization", "75"), ""));
        assertThat(fixed.rules()).doesNotContain("target-out-of-range");
        assertThat(run(fixed, LIGHT).maxReplicas()).isEqualTo(1);
    }

    @Test
    void aMemoryTargetBelowTheResidentModelPinsTheFleetAtItsMaximum() {
        String memory = """
                - type: Resource
                  resource:
                    name: memory
                    target: {type: Utilization, averageUtilization: 70}
                """;
        String deployment = Fixture.deployment("", Fixture.ENV, "resources: {requests: {memory: 24Gi}}");
        Fixture broken = new Fixture(dir).file(Fixture.hpa(1, 8, memory, "")).file(deployment);
        assertThat(broken.lint()).filteredOn(f -> f.rule().equals("target-always-exceeded")).singleElement()
                .satisfies(f -> assertThat(f.problem()).contains("20.0 GiB resident of its 24.0 GiB request"));
        // Light load, yet the fleet only grows (new pods reach the resident size as their model loads).
        Summary s = run(broken, LIGHT);
        assertThat(s.maxReplicas()).isGreaterThanOrEqualTo(4);
        assertThat(s.scaleDowns()).isZero();

        Fixture fixed = new Fixture(dir).file(Fixture.hpa(1, 8, memory.replace("70", "95"), "")).file(deployment);
        assertThat(fixed.rules()).doesNotContain("target-always-exceeded");
        assertThat(run(fixed, LIGHT).maxReplicas()).isEqualTo(1);
    }
}
