package dev.llmautoscale.simulator.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.llmautoscale.simulator.autoscale.Autoscaler;
import dev.llmautoscale.simulator.autoscale.ClusterView;
import dev.llmautoscale.simulator.autoscale.HpaAutoscaler;
import dev.llmautoscale.simulator.config.AdapterRules;
import dev.llmautoscale.simulator.config.ConfigException;
import dev.llmautoscale.simulator.config.ConfigNode;
import dev.llmautoscale.simulator.config.Distribution;
import dev.llmautoscale.simulator.config.FleetConfig;
import dev.llmautoscale.simulator.decision.HpaController;
import dev.llmautoscale.simulator.promql.PromqlParser;
import dev.llmautoscale.simulator.workload.RateShape;
import dev.llmautoscale.simulator.workload.RateWorkload;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * HPA External and Object metrics in the engine: served by prometheus-adapter rules evaluated on the simulated
 * scrapes at each sync, summed over series, failing (and holding the count) where no rule serves them, and read
 * {@code metrics.adapterDelaySeconds} in the past.
 */
class HpaExternalMetricsTest {

    /** The adapter's rules: the external rule returns one series per pod (no aggregation), so the HPA's sum counts. */
    private static final String ADAPTER = """
            rules:
              - seriesQuery: 'llm_inference_queue_depth{namespace!="",pod!=""}'
                resources:
                  overrides:
                    namespace: {resource: "namespace"}
                    pod: {resource: "pod"}
                name: {matches: "^llm_inference_queue_depth$", as: "namespace_queue_depth"}
                metricsQuery: 'sum by (<<.GroupBy>>) (<<.Series>>{<<.LabelMatchers>>})'
              - seriesQuery: 'llm_inference_queue_depth{namespace!="",pod!=""}'
                resources:
                  overrides:
                    namespace: {resource: "namespace"}
                    pod: {resource: "pod"}
                name: {matches: "^llm_inference_queue_depth$", as: "inference_queue_depth"}
                metricsQuery: 'sum by (<<.GroupBy>>) (<<.Series>>{<<.LabelMatchers>>})'
            externalRules:
              - seriesQuery: 'llm_inference_queue_depth{namespace!=""}'
                resources:
                  overrides:
                    namespace: {resource: "namespace"}
                name: {matches: "^llm_inference_queue_depth$", as: "fleet_queue_depth"}
                metricsQuery: '<<.Series>>{<<.LabelMatchers>>}'
            """;

    private static final String NS = "ml";
    private static final double SPIKE_AT = 120;

    /** One HPA sync as seen from outside: the outcome and what the fleet showed then. */
    private record Sync(double t, HpaController.SyncResult result, int current, int ready, double total) {
    }

    private static ConfigNode yaml(String text, String file) {
        try {
            return new ConfigNode(new ObjectMapper(new YAMLFactory()).readTree(text), file, "");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hpa(String metrics) {
        return """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: llm, namespace: ml}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: llm}
                  minReplicas: 1
                  maxReplicas: 10
                  behavior:
                    scaleUp: {stabilizationWindowSeconds: 0, policies: [{type: Pods, value: 4, periodSeconds: 15}]}
                  metrics:
                """ + metrics.indent(2);
    }

    private static final String EXTERNAL_AVERAGE = """
            - type: External
              external:
                metric: {name: fleet_queue_depth}
                target: {type: AverageValue, averageValue: "8"}
            """;

    /** Runs the HPA on a step workload (1 req/s, then 20 req/s from SPIKE_AT) and records every sync. */
    private static List<Sync> run(String hpaYaml, double adapterDelay, double seconds, List<Integer> desired) {
        FleetConfig fleet = TestFleets.fleet("""
                coldStart: {imagePull: 5, weightLoad: 20, warmUp: 1}
                nodePool: {nodesPresent: 10, maxNodes: 10}
                metrics: {adapterDelaySeconds: %s}
                """.formatted(adapterDelay));
        AdapterRules rules = AdapterRules.parse(yaml(ADAPTER, "adapter.yaml"), "adapter.yaml");
        List<Sync> syncs = new ArrayList<>();
        Autoscaler recording = new Autoscaler() {
            private final HpaAutoscaler hpa = new HpaAutoscaler(yaml(hpaYaml, "hpa.yaml"), rules, 15, 0.1,
                    adapterDelay);
            private HpaController.SyncResult seen;

            @Override
            public void step(double t, ClusterView cluster) {
                int current = cluster.deployment().replicas();
                hpa.step(t, cluster);
                if (hpa.lastSync() != seen) {
                    seen = hpa.lastSync();
                    // The fleet's queue as a different query computes it, at the time the adapter reads.
                    var v = cluster.query(PromqlParser.parse("sum(llm_inference_queue_depth)"), t - adapterDelay);
                    double total = v.vector() == null || v.vector().isEmpty() ? Double.NaN
                            : v.vector().get(0).value();
                    syncs.add(new Sync(t, seen, current, cluster.readyReplicas(t), total));
                }
                desired.add(cluster.deployment().replicas());
            }

            @Override
            public int minReplicas() {
                return hpa.minReplicas();
            }

            @Override
            public int maxReplicas() {
                return hpa.maxReplicas();
            }

            @Override
            public String describe() {
                return hpa.describe();
            }
        };
        Scenario s = new Scenario("external", fleet, TestFleets.deployment("""
                metadata: {name: llm, namespace: ml}
                spec:
                  replicas: 1
                  template:
                    spec:
                      containers:
                      - name: c
                        readinessProbe: {httpGet: {path: /ready}, periodSeconds: 5}
                """), NS, () -> recording);
        RateWorkload spike = new RateWorkload(RateShape.spike(1, 20, SPIKE_AT, seconds), false,
                Distribution.fixed(128), Distribution.fixed(64), seconds, SPIKE_AT, 1);
        new Simulation(s, spike, new RunOptions(1, 1, 2000, 30_000, 600, Double.NaN)).run();
        return syncs;
    }

    @Test
    void externalAverageValueScalesUpUnderASpikeWithCeilOfTotalOverTarget() {
        List<Integer> desired = new ArrayList<>();
        List<Sync> syncs = run(hpa(EXTERNAL_AVERAGE), 0, 600, desired);
        int checked = 0;
        boolean scaledUp = false;
        for (Sync s : syncs) {
            assertThat(s.result().reason()).as("at %s", s.t()).doesNotStartWith("FailedGet");
            double ratio = s.total() / (8.0 * s.current());
            if (Math.abs(ratio - 1) > 0.1 && s.current() < 10) {
                assertThat(s.result().recommendation()).as("recommendation at %s (total %s)", s.t(), s.total())
                        .isEqualTo((int) Math.ceil(s.total() / 8.0));
                checked++;
                scaledUp |= s.result().recommendation() > s.current() && s.t() > SPIKE_AT;
            }
        }
        assertThat(checked).isGreaterThan(3);
        assertThat(scaledUp).isTrue();
        assertThat(desired.subList(0, (int) SPIKE_AT)).containsOnly(1);
        assertThat(desired.get(desired.size() - 1)).isGreaterThan(2);
    }

    @Test
    void externalValueTargetMultipliesTheRatioByTheReadyPods() {
        List<Sync> syncs = run(hpa("""
                - type: External
                  external:
                    metric: {name: fleet_queue_depth}
                    target: {type: Value, value: "20"}
                """), 0, 600, new ArrayList<>());
        int checked = 0;
        for (Sync s : syncs) {
            double ratio = s.total() / 20.0;
            if (Math.abs(ratio - 1) > 0.1 && s.current() < 10 && s.current() > 0) {
                assertThat(s.result().recommendation()).as("recommendation at %s", s.t())
                        .isEqualTo((int) Math.ceil(ratio * s.ready()));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(3);
        assertThat(syncs.stream().mapToInt(s -> s.result().replicas()).max().orElse(0)).isGreaterThan(1);
    }

    @Test
    void objectMetricOfTheNamespaceIsServedByTheRuleForThatResource() {
        List<Sync> syncs = run(hpa("""
                - type: Object
                  object:
                    metric: {name: namespace_queue_depth}
                    describedObject: {apiVersion: v1, kind: Namespace, name: ml}
                    target: {type: Value, value: "20"}
                """), 0, 600, new ArrayList<>());
        int checked = 0;
        for (Sync s : syncs) {
            assertThat(s.result().reason()).doesNotStartWith("FailedGet");
            double ratio = s.total() / 20.0;
            if (Math.abs(ratio - 1) > 0.1 && s.current() < 10) {
                assertThat(s.result().recommendation()).isEqualTo((int) Math.ceil(ratio * s.ready()));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(3);
    }

    @Test
    void aMetricNoRuleServesFailsAndHoldsTheCount() {
        List<Integer> desired = new ArrayList<>();
        List<Sync> syncs = run(hpa("""
                - type: External
                  external:
                    metric: {name: no_such_metric}
                    target: {type: AverageValue, averageValue: "8"}
                - type: Object
                  object:
                    metric: {name: namespace_queue_depth}
                    describedObject: {apiVersion: v1, kind: Service, name: llm}
                    target: {type: Value, value: "20"}
                """), 0, 600, desired);
        assertThat(syncs).isNotEmpty().allSatisfy(s -> assertThat(s.result().reason())
                .isEqualTo("FailedGetExternalMetric"));
        assertThat(desired).containsOnly(1);
        // The spike was real: the queue grew while the count held.
        assertThat(syncs.stream().mapToDouble(Sync::total).max().orElse(0)).isGreaterThan(16);
    }

    @Test
    void aFailingMetricBlocksTheScaleDownButNotTheScaleUp() {
        List<Integer> desired = new ArrayList<>();
        run(hpa("""
                - type: External
                  external:
                    metric: {name: no_such_metric}
                    target: {type: AverageValue, averageValue: "8"}
                - type: Pods
                  pods:
                    metric: {name: inference_queue_depth}
                    target: {type: AverageValue, averageValue: "8"}
                """), 0, 900, desired);
        int peak = desired.stream().mapToInt(Integer::intValue).max().orElse(0);
        assertThat(peak).isGreaterThan(1);
        assertThat(desired.subList(desired.indexOf(peak), desired.size())).containsOnly(peak);
    }

    @Test
    void aLargerAdapterDelayDelaysTheFirstScaleUpByAboutThatDelay() {
        List<Integer> prompt = new ArrayList<>();
        List<Integer> delayed = new ArrayList<>();
        run(hpa(EXTERNAL_AVERAGE), 0, 600, prompt);
        run(hpa(EXTERNAL_AVERAGE), 60, 600, delayed);
        int first = firstAbove(prompt, 1);
        int later = firstAbove(delayed, 1);
        assertThat(first).isGreaterThan((int) SPIKE_AT);
        // Syncs are 15 s apart, so the delayed run's first scale-up lands on the sync after spike + delay + lag.
        assertThat(later - first).isBetween(60 - 15, 60 + 15);
    }

    private static int firstAbove(List<Integer> desired, int n) {
        for (int i = 0; i < desired.size(); i++) {
            if (desired.get(i) > n) {
                return i;
            }
        }
        throw new AssertionError("never scaled above " + n);
    }

    @Test
    void badConfigNamesTheFileAndField() {
        assertThatThrownBy(() -> new HpaAutoscaler(yaml(hpa("""
                - type: Object
                  object:
                    metric: {name: namespace_queue_depth}
                    describedObject: {apiVersion: v1, kind: Service}
                    target: {type: Value, value: "20"}
                """), "hpa.yaml"), AdapterRules.parse(yaml(ADAPTER, "adapter.yaml"), "adapter.yaml"), 15, 0.1))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("hpa.yaml").hasMessageContaining("spec.metrics[0].object.describedObject.name");
        assertThatThrownBy(() -> AdapterRules.parse(yaml("""
                externalRules:
                  - seriesQuery: 'llm_inference_queue_depth{namespace!=""}'
                    name: {as: "q"}
                    metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}'
                """, "adapter.yaml"), "adapter.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("adapter.yaml").hasMessageContaining("externalRules[0].metricsQuery");
        assertThatThrownBy(() -> TestFleets.fleet("metrics: {adapterDelaySeconds: -5}"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("fleet.yaml").hasMessageContaining("metrics.adapterDelaySeconds");
    }
}
