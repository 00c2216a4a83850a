package dev.llmautoscale.simulator.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmautoscale.simulator.config.ConfigException;
import dev.llmautoscale.simulator.decision.HpaBehavior.Policy;
import dev.llmautoscale.simulator.decision.HpaBehavior.PolicyType;
import dev.llmautoscale.simulator.decision.HpaController.MetricSpec;
import dev.llmautoscale.simulator.decision.HpaController.SyncResult;
import dev.llmautoscale.testsupport.SharedData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stateful HPA over several syncs: what it parses, what it remembers, and what it sets. */
class HpaControllerTest {

    private static final double GI = 1024.0 * 1024 * 1024;

    private static HpaController hpa(String spec) {
        return HpaController.fromSpec(Json.parse(spec), "hpa.yaml", "spec", 0.1);
    }

    private static List<HpaPod> pods(int n, Map<String, Double> metrics, Map<String, Double> requests) {
        List<HpaPod> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new HpaPod("p" + i, "Running", true, false, 3600, 3600, metrics, 0, 60, requests));
        }
        return out;
    }

    private static final String TARGET = "'scaleTargetRef': {'apiVersion': 'apps/v1', 'kind': 'Deployment', 'name': 'llm'}";

    @Test
    void readsTheGuidesHpaWithItsDefaults() {
        Path file = SharedData.require("reference/guide-configs/hpa.yaml");
        JsonNode doc = Json.yamlDocuments(file).get(0);
        HpaController h = HpaController.fromSpec(doc.get("spec"), file.toString(), "spec", 0.1);
        assertThat(h.minReplicas()).isEqualTo(2);
        assertThat(h.maxReplicas()).isEqualTo(10);
        assertThat(h.scaleTarget().name()).isEqualTo("llm-inference");
        assertThat(h.metrics()).containsExactly(
                new MetricSpec("Resource", "memory", "Utilization", 70, Map.of()),
                new MetricSpec("Pods", "gpu_utilization", "AverageValue", 75, Map.of()),
                new MetricSpec("Pods", "inference_queue_depth", "AverageValue", 10, Map.of()));
        HpaBehavior b = h.behavior();
        assertThat(b.scaleUp().stabilizationWindowSeconds()).isEqualTo(60);
        assertThat(b.scaleUp().policies()).containsExactly(new Policy(PolicyType.PERCENT, 100, 30),
                new Policy(PolicyType.PODS, 2, 30));
        assertThat(b.scaleUp().selectPolicy()).isEqualTo(HpaBehavior.SelectPolicy.MAX);
        assertThat(b.scaleDown().stabilizationWindowSeconds()).isEqualTo(300);
        assertThat(b.scaleDown().policies()).containsExactly(new Policy(PolicyType.PERCENT, 50, 60));
        assertThat(b.scaleDown().selectPolicy()).isEqualTo(HpaBehavior.SelectPolicy.MAX);
    }

    @Test
    void theGuidesHpaHoldsAQueueSpikeForItsScaleUpWindowThenDoublesPer30Seconds() {
        Path file = SharedData.require("reference/guide-configs/hpa.yaml");
        HpaController h = HpaController.fromSpec(Json.yamlDocuments(file).get(0).get("spec"), file.toString(), "spec",
                0.1);
        Map<String, Double> busy = Map.of("memory", 8 * GI, "gpu_utilization", 50.0, "inference_queue_depth", 30.0);
        Map<String, Double> req = Map.of("memory", 16 * GI);
        int replicas = 2;
        List<SyncResult> results = new ArrayList<>();
        for (int t = 0; t <= 90; t += 15) {
            SyncResult r = h.sync(t, replicas, pods(replicas, busy, req), Map.of());
            results.add(r);
            replicas = r.replicas();
        }
        // queue 30 per pod against 10: the metrics want 3x from the first sync
        assertThat(results.get(0).recommendation()).isEqualTo(6);
        // the first sync records the current count (2) as a recommendation: the 60 s scale-up window holds 2
        assertThat(results.subList(0, 4)).extracting(SyncResult::replicas).containsOnly(2);
        assertThat(results.get(0).reason()).isEqualTo("ScaleUpStabilized");
        // t=60: the initial recommendation left the window; 100% or 2 pods per 30 s: 4
        assertThat(results.get(4)).isEqualTo(new SyncResult(6, 4, "ScaleUpLimit"));
        // t=75: the period that started at 60 still counts from 2
        assertThat(results.get(5)).isEqualTo(new SyncResult(12, 4, "ScaleUpLimit"));
        // t=90: a new period from 4 would allow 8, but the window (30, 90] still holds the 6 of t=45 and t=60
        assertThat(results.get(6)).isEqualTo(new SyncResult(12, 6, "ScaleUpStabilized"));
        assertThat(h.scaleUpEvents()).extracting(BehaviorDecision.ScaleEvent::change).containsExactly(2, 2);
    }

    @Test
    void docScaleDownPoliciesOverSyncsEvery15Seconds() {
        HpaController h = hpa("{" + TARGET + ", 'maxReplicas': 100,"
                + " 'metrics': [{'type': 'External', 'external': {'metric': {'name': 'q'}, 'target': {'type': 'AverageValue', 'averageValue': '1'}}}],"
                + " 'behavior': {'scaleDown': {'stabilizationWindowSeconds': 0, 'policies': ["
                + "{'type': 'Pods', 'value': 4, 'periodSeconds': 60}, {'type': 'Percent', 'value': 10, 'periodSeconds': 60}]}}}");
        int replicas = 80;
        List<Integer> seen = new ArrayList<>();
        for (int t = 0; t <= 120; t += 15) {
            replicas = h.sync(t, replicas, List.of(), Map.of("q", 10.0)).replicas();
            seen.add(replicas);
        }
        assertThat(seen).containsExactly(72, 72, 72, 72, 64, 64, 64, 64, 57);
    }

    @Test
    void withoutBehaviorTheControllerRunsItsOlderRulesAndKeepsNoScaleEvents() {
        HpaController h = hpa("{" + TARGET + ", 'maxReplicas': 20,"
                + " 'metrics': [{'type': 'External', 'external': {'metric': {'name': 'q'}, 'target': {'averageValue': '1'}}}]}");
        assertThat(h.behavior()).isNull();
        assertThat(h.sync(0, 1, List.of(), Map.of("q", 7.0))).isEqualTo(new SyncResult(7, 4, "ScaleUpLimit"));
        assertThat(h.sync(15, 4, List.of(), Map.of("q", 7.0))).isEqualTo(new SyncResult(7, 7, "DesiredWithinRange"));
        // the load drops: the 300 s scale-down stabilization keeps 7 while a recommendation of 7 is in the window
        int replicas = 7;
        for (int t = 30; t <= 315; t += 15) {
            replicas = h.sync(t, replicas, List.of(), Map.of("q", 2.0)).replicas();
            assertThat(replicas).as("t=%d", t).isEqualTo(7);
        }
        assertThat(h.sync(330, 7, List.of(), Map.of("q", 2.0))).isEqualTo(new SyncResult(2, 2, "DesiredWithinRange"));
        assertThat(h.scaleUpEvents()).isEmpty();
        assertThat(h.scaleDownEvents()).isEmpty();
    }

    @Test
    void atZeroReplicasTheHpaIsDisabledUnlessMinReplicasIsZero() {
        String metric = "[{'type': 'External', 'external': {'metric': {'name': 'q'}, 'target': {'value': '10'}}}]";
        HpaController h = hpa("{" + TARGET + ", 'maxReplicas': 5, 'metrics': " + metric + "}");
        assertThat(h.sync(0, 0, List.of(), Map.of("q", 35.0))).isEqualTo(new SyncResult(0, 0, "ScalingDisabled"));
        HpaController toZero = hpa("{" + TARGET + ", 'minReplicas': 0, 'maxReplicas': 5, 'metrics': " + metric + "}");
        assertThat(toZero.sync(0, 0, List.of(), Map.of("q", 35.0)).replicas()).isEqualTo(4);
    }

    @Test
    void failingMetricsLeaveTheCountAloneAndRecordNothing() {
        HpaController h = hpa("{" + TARGET + ", 'maxReplicas': 5, 'behavior': {},"
                + " 'metrics': [{'type': 'External', 'external': {'metric': {'name': 'q'}, 'target': {'value': '10'}}}]}");
        assertThat(h.sync(0, 3, pods(3, Map.of(), Map.of()), Map.of()))
                .isEqualTo(new SyncResult(3, 3, "FailedGetExternalMetric"));
        assertThat(h.recommendations()).containsExactly(new BehaviorDecision.Recommendation(0, 3));
    }

    @Test
    void currentOutsideMinMaxIsBroughtBackWithoutTheBehavior() {
        HpaController h = hpa("{" + TARGET + ", 'minReplicas': 2, 'maxReplicas': 5, 'behavior': {},"
                + " 'metrics': [{'type': 'External', 'external': {'metric': {'name': 'q'}, 'target': {'value': '10'}}}]}");
        assertThat(h.sync(0, 9, pods(9, Map.of(), Map.of()), Map.of("q", 1.0)).replicas()).isEqualTo(5);
        assertThat(h.sync(15, 1, pods(1, Map.of(), Map.of()), Map.of("q", 1.0)).replicas()).isEqualTo(2);
    }

    @Test
    void docPerDirectionToleranceOf5PercentForScaleUp() {
        // "a target memory consumption of 100MiB and a scale-up tolerance of 5% ... will only consider scaling up
        // if the memory consumption is higher than 105MiB"
        String spec = "{" + TARGET + ", 'maxReplicas': 10,"
                + " 'metrics': [{'type': 'Resource', 'resource': {'name': 'memory', 'target': {'type': 'AverageValue', 'averageValue': '100Mi'}}}]%s}";
        HpaController fivePercent = hpa(spec.formatted(", 'behavior': {'scaleUp': {'tolerance': '0.05'}}"));
        HpaController defaults = hpa(spec.formatted(""));
        double mi = 1024 * 1024;
        assertThat(fivePercent.sync(0, 4, pods(4, Map.of("memory", 104 * mi), Map.of()), Map.of()).replicas()).isEqualTo(4);
        assertThat(fivePercent.sync(15, 4, pods(4, Map.of("memory", 106 * mi), Map.of()), Map.of()).replicas()).isEqualTo(5);
        assertThat(defaults.sync(0, 4, pods(4, Map.of("memory", 106 * mi), Map.of()), Map.of()).replicas()).isEqualTo(4);
    }

    @Test
    void metricsAbsentDefaultToCpu80PercentAndSelectorsAreKept() {
        assertThat(hpa("{" + TARGET + ", 'maxReplicas': 3}").metrics())
                .containsExactly(new MetricSpec("Resource", "cpu", "Utilization", 80, Map.of()));
        assertThat(hpa("{" + TARGET + ", 'maxReplicas': 3, 'metrics': [{'type': 'External', 'external': {'metric':"
                + " {'name': 'q', 'selector': {'matchLabels': {'queue': 'a'}}}, 'target': {'type': 'AverageValue', 'averageValue': '500m'}}}]}")
                .metrics()).containsExactly(new MetricSpec("External", "q", "AverageValue", 0.5, Map.of("queue", "a")));
    }

    private static void rejects(String spec, String message) {
        assertThatThrownBy(() -> hpa(spec)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void badSpecsNameTheFileAndTheField() {
        rejects("{" + TARGET + ", 'maxReplicas': 3, 'metrics': [{'type': 'Pods', 'pods': {'metric': {'name': 'q'},"
                + " 'target': {'averageValue': '1'}}}, {'type': 'Custom'}]}",
                "hpa.yaml: spec.metrics[1].type: \"Custom\" is not allowed; allowed: Resource, Pods, Object, External");
        rejects("{" + TARGET + ", 'maxReplicas': 3, 'behavior': {'scaleDown': {'stabilizationWindowSeconds': -1}}}",
                "hpa.yaml: spec.behavior.scaleDown.stabilizationWindowSeconds: must be an integer from 0 to 3600, not -1");
        rejects("{" + TARGET + ", 'maxReplicas': 3, 'metrics': [{'type': 'Pods', 'pods': {'metric': {'name': 'q'}}}]}",
                "hpa.yaml: spec.metrics[0].pods.target: is required");
        rejects("{" + TARGET + ", 'maxReplicas': 3, 'metrics': [{'type': 'Pods', 'pods': {'metric': {'name': 'q'},"
                + " 'target': {'averageValue': 'ten'}}}]}",
                "hpa.yaml: spec.metrics[0].pods.target.averageValue: \"ten\" is not " + Quantity.ALLOWED);
        rejects("{'maxReplicas': 3}", "hpa.yaml: spec.scaleTargetRef: is required");
        rejects("{" + TARGET + "}", "hpa.yaml: spec.maxReplicas: is required (an integer >= 1)");
        rejects("{" + TARGET + ", 'minReplicas': 4, 'maxReplicas': 3}",
                "hpa.yaml: spec.minReplicas: must be <= maxReplicas (3), not 4");
        rejects("{" + TARGET + ", 'minReplicas': 0, 'maxReplicas': 3}",
                "hpa.yaml: spec.minReplicas: 0 needs at least one Object or External metric to support scaling to zero"
                        + " replicas; use minReplicas >= 1 or add such a metric");
    }
}
