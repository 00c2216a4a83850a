package dev.llmautoscale.simulator.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmautoscale.simulator.config.ConfigException;
import dev.llmautoscale.simulator.decision.HpaController.MetricSpec;
import dev.llmautoscale.simulator.decision.HpaController.SyncResult;
import dev.llmautoscale.simulator.decision.KedaController.PollResult;
import dev.llmautoscale.simulator.decision.KedaController.Reading;
import dev.llmautoscale.testsupport.SharedData;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stateful KEDA ScaledObject and the HPA it creates, over polling cycles and HPA syncs. */
class KedaControllerTest {

    private static final Reading ERROR = new Reading(null, true);

    private static Reading value(double v) {
        return new Reading(v, false);
    }

    private static KedaController so(String json) {
        return KedaController.fromScaledObject(Json.parse(json), "so.yaml", 0.1);
    }

    private static List<HpaPod> ready(int n) {
        List<HpaPod> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new HpaPod("p" + i, "Running", true, false, 3600, 3600, Map.of(), 0, 60, Map.of()));
        }
        return out;
    }

    private static final String PROMETHEUS = "{'type': 'prometheus', 'metadata': {'serverAddress': 'http://p:9090',"
            + " 'query': 'sum(q)', 'threshold': '10'}}";

    @Test
    void readsTheGuidesRedisAndGpuMemoryScaledObject() {
        Path file = SharedData.require("reference/guide-configs/keda-redis.yaml");
        KedaController k = KedaController.fromScaledObject(Json.yamlDocuments(file).get(0), file.toString(), 0.1);
        assertThat(k.pollingIntervalSeconds()).isEqualTo(15);
        assertThat(k.cooldownPeriodSeconds()).isEqualTo(300);
        assertThat(k.minReplicaCount()).isEqualTo(1);
        assertThat(k.maxReplicaCount()).isEqualTo(20);
        assertThat(k.triggers()).extracting(KedaController.Trigger::type, KedaController.Trigger::target,
                KedaController.Trigger::activationTarget).containsExactly(
                org.assertj.core.groups.Tuple.tuple("redis", 5.0, 1.0),
                org.assertj.core.groups.Tuple.tuple("prometheus", 80.0, 0.0));
        assertThat(k.metricNames()).containsExactly("s0-redis-inference_queue", "s1-prometheus");
        HpaController hpa = k.hpa();
        assertThat(hpa.minReplicas()).isEqualTo(1);
        assertThat(hpa.maxReplicas()).isEqualTo(20);
        assertThat(hpa.metrics()).extracting(MetricSpec::type, MetricSpec::name, MetricSpec::targetType, MetricSpec::target)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("External", "s0-redis-inference_queue", "AverageValue", 5.0),
                        org.assertj.core.groups.Tuple.tuple("External", "s1-prometheus", "AverageValue", 80.0));
        assertThat(hpa.behavior().scaleDown().policies())
                .containsExactly(new HpaBehavior.Policy(HpaBehavior.PolicyType.PERCENT, 25, 60));
        assertThat(hpa.behavior().scaleUp()).isEqualTo(HpaBehavior.DEFAULT_SCALE_UP);
    }

    @Test
    void theGuidesLlama70bScaledObjectNeverLeavesZeroWhenOnlyItsPodsEmitTheMetric() {
        Path file = SharedData.require("reference/guide-configs/keda-multi-model.yaml");
        JsonNode llama70b = Json.yamlDocuments(file).get(1);
        KedaController k = KedaController.fromScaledObject(llama70b, file.toString(), 0.1);
        assertThat(k.minReplicaCount()).isZero();
        // no pod, no series: the query returns nothing, read as 0, never above the activation threshold 0
        for (int t = 0; t < 600; t += 30) {
            assertThat(k.poll(t, 0, 0, List.of(value(0)))).isEqualTo(new PollResult(null, false, null));
        }
        // a request rate from elsewhere would wake it: 0 -> 1, then the HPA (no behavior: at most max(2x, 4))
        assertThat(k.poll(600, 0, 0, List.of(value(0.5)))).isEqualTo(new PollResult(1, true, null));
        assertThat(k.hpaSync(615, 1, ready(1), List.of(value(12)))).isEqualTo(new SyncResult(3, 3, "DesiredWithinRange"));
    }

    @Test
    void cooldownCountsFromTheLastActiveCycleAndIsStrict() {
        KedaController k = so("{'spec': {'scaleTargetRef': {'name': 'llm'}, 'triggers': [" + PROMETHEUS + "]}}");
        assertThat(k.poll(0, 0, 0, List.of(value(3)))).isEqualTo(new PollResult(1, true, null));
        assertThat(k.lastActiveTime()).isEqualTo(0.0);
        for (int t = 30; t <= 300; t += 30) {
            assertThat(k.poll(t, 1, 1, List.of(value(0)))).as("t=%d", t).isEqualTo(new PollResult(null, false, null));
        }
        assertThat(k.poll(330, 1, 1, List.of(value(0)))).isEqualTo(new PollResult(0, false, null));
    }

    @Test
    void fallbackCountsHpaReadsAsFailuresAndSteersTheHpaToTheFallbackCount() {
        KedaController k = so("{'spec': {'scaleTargetRef': {'name': 'llm'}, 'minReplicaCount': 1,"
                + " 'fallback': {'failureThreshold': 3, 'replicas': 6}, 'triggers': [" + PROMETHEUS + "]}}");
        assertThat(k.poll(0, 2, 2, List.of(ERROR))).isEqualTo(new PollResult(null, false, null));
        assertThat(k.hpaSync(15, 2, ready(2), List.of(ERROR))).isEqualTo(new SyncResult(2, 2, "FailedGetExternalMetric"));
        assertThat(k.poll(30, 2, 2, List.of(ERROR))).isEqualTo(new PollResult(null, false, null));
        assertThat(k.numberOfFailures()).containsExactly(3);
        // 4th failure, at an HPA read: the fallback metric 10 x 6 makes the HPA compute 6 (its older rules allow 4)
        assertThat(k.hpaSync(45, 2, ready(2), List.of(ERROR))).isEqualTo(new SyncResult(6, 4, "ScaleUpLimit"));
        assertThat(k.poll(60, 4, 4, List.of(ERROR))).isEqualTo(new PollResult(null, true, 6));
        assertThat(k.numberOfFailures()).containsExactly(5);
        // one good read resets the count; the metrics now want 3, but the fallback's 6 is in the 300 s scale-down
        // window of the HPA's older rules (no behavior), so it still goes to 6
        assertThat(k.hpaSync(75, 4, ready(4), List.of(value(25)))).isEqualTo(new SyncResult(3, 6, "ScaleDownStabilized"));
        assertThat(k.numberOfFailures()).containsExactly(0);
    }

    @Test
    void fallbackOfAValueTriggerDividesByTheReadyPods() {
        KedaController k = so("{'spec': {'scaleTargetRef': {'name': 'llm'}, 'minReplicaCount': 1, 'maxReplicaCount': 20,"
                + " 'advanced': {'horizontalPodAutoscalerConfig': {'behavior': {'scaleUp': {'policies': [{'type': 'Pods', 'value': 100, 'periodSeconds': 15}]}}}},"
                + " 'fallback': {'failureThreshold': 0, 'replicas': 9},"
                + " 'triggers': [{'type': 'prometheus', 'metricType': 'Value', 'metadata': {'threshold': '10', 'query': 'q'}}]}}");
        // 3 pods, 2 ready: fake value 10 x 9 / 2 = 45, the HPA computes ceil(45 / 10 x 2) = 9
        List<HpaPod> pods = new ArrayList<>(ready(2));
        pods.add(new HpaPod("loading", "Running", false, false, 10, 10, Map.of(), 0, 60, Map.of()));
        assertThat(k.hpaSync(0, 3, pods, List.of(ERROR)).recommendation()).isEqualTo(9);
        // no ready pod: the fallback cannot be computed and the metric fails
        assertThat(k.hpaSync(15, 3, List.of(pods.get(2)), List.of(ERROR)).reason()).isEqualTo("FailedGetExternalMetric");
    }

    @Test
    void atZeroReplicasTheHpaDoesNothingAndCountsNoFailure() {
        KedaController k = so("{'spec': {'scaleTargetRef': {'name': 'llm'},"
                + " 'fallback': {'failureThreshold': 3, 'replicas': 6}, 'triggers': [" + PROMETHEUS + "]}}");
        for (int t = 0; t < 100; t += 15) {
            assertThat(k.hpaSync(t, 0, List.of(), List.of(ERROR))).isEqualTo(new SyncResult(0, 0, "ScalingDisabled"));
        }
        assertThat(k.numberOfFailures()).containsExactly(0);
    }

    @Test
    void valuesAreServedWithMilliPrecision() {
        KedaController k = so("{'spec': {'scaleTargetRef': {'name': 'llm'}, 'triggers': [{'type': 'metrics-api',"
                + " 'metadata': {'url': 'http://x', 'valueLocation': 'queue.depth', 'targetValue': '0.5'}}]}}");
        assertThat(k.metricNames()).containsExactly("s0-metric-api-queue-depth");
        // 1.0004 is served as 1.000: 2 replicas, within the tolerance of 0.5 x 2
        assertThat(k.hpaSync(0, 2, ready(2), List.of(value(1.0004))).replicas()).isEqualTo(2);
        // negative values are served as 0
        assertThat(k.hpaSync(15, 2, ready(2), List.of(value(-3))).recommendation()).isZero();
    }

    @Test
    void pauseAnnotationsShapeTheHpaAndStopTheLoop() {
        KedaController in = so("{'metadata': {'annotations': {'autoscaling.keda.sh/paused-scale-in': 'true'}},"
                + " 'spec': {'scaleTargetRef': {'name': 'llm'}, 'triggers': [" + PROMETHEUS + "]}}");
        assertThat(in.hpa().behavior().scaleDown().selectPolicy()).isEqualTo(HpaBehavior.SelectPolicy.DISABLED);
        assertThat(in.hpa().behavior().scaleUp()).isEqualTo(HpaBehavior.DEFAULT_SCALE_UP);
        KedaController paused = so("{'metadata': {'annotations': {'autoscaling.keda.sh/paused-replicas': '2'}},"
                + " 'spec': {'scaleTargetRef': {'name': 'llm'}, 'triggers': [" + PROMETHEUS + "]}}");
        assertThat(paused.poll(0, 5, 5, List.of(value(100)))).isEqualTo(new PollResult(2, false, null));
        assertThat(paused.hpaSync(15, 2, ready(2), List.of(value(100))).replicas()).isEqualTo(2);
    }

    private static void rejects(String json, String message) {
        assertThatThrownBy(() -> so(json)).isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void badScaledObjectsNameTheFileAndTheField() {
        rejects("{'spec': {'scaleTargetRef': {'name': 'llm'}, 'triggers': [{'type': 'prometheus', 'metadata': {'query': 'q'}}]}}",
                "so.yaml: spec.triggers[0].metadata.threshold: is required (a number)");
        rejects("{'spec': {'scaleTargetRef': {'name': 'llm'}, 'triggers': [{'type': 'redis', 'metadata': {'listLength': 'five'}}]}}",
                "so.yaml: spec.triggers[0].metadata.listLength: must be a number, not \"five\"");
        rejects("{'spec': {'scaleTargetRef': {'name': 'llm'}, 'minReplicaCount': 1, 'idleReplicaCount': 1, 'triggers': [" + PROMETHEUS + "]}}",
                "so.yaml: spec.idleReplicaCount: must be less than minReplicaCount (1), not 1");
        rejects("{'spec': {'scaleTargetRef': {'name': 'llm'}, 'triggers': []}}", "so.yaml: spec.triggers: must list at least one trigger");
        rejects("{'spec': {'scaleTargetRef': {'name': 'llm'}, 'triggers': [{'type': 'my-scaler', 'metadata': {'x': '1'}}]}}",
                "so.yaml: spec.triggers[0].metadata: has no scaling target for trigger type \"my-scaler\"; the simulator looks for one of: "
                        + String.join(", ", KedaTriggers.GENERIC_TARGETS));
        rejects("{'spec': {'scaleTargetRef': {'name': 'llm'}, 'advanced': {'scalingModifiers': {'formula': 'a'}}, 'triggers': [" + PROMETHEUS + "]}}",
                "so.yaml: spec.advanced.scalingModifiers: is not modelled by the simulator (formula and composite metrics);"
                        + " remove it to simulate the triggers one by one");
        rejects("{'kind': 'ScaledJob', 'spec': {}}", "so.yaml: kind: must be ScaledObject, not \"ScaledJob\"");
        rejects("{'spec': {'triggers': [" + PROMETHEUS + "]}}", "so.yaml: spec.scaleTargetRef: is required");
        rejects("{'spec': {'scaleTargetRef': {'name': 'llm'}, 'triggers': [{'type': 'cpu', 'metadata': {'value': '60'}}]}}",
                "so.yaml: spec.minReplicaCount: 0 is not allowed when every trigger is cpu or memory (scale to zero"
                        + " needs a trigger that can see demand at zero replicas); use minReplicaCount >= 1");
        rejects("{'spec': {'scaleTargetRef': {'name': 'llm'}, 'advanced': {'horizontalPodAutoscalerConfig': {'behavior':"
                + " {'scaleUp': {'stabilizationWindowSeconds': -3}}}}, 'triggers': [" + PROMETHEUS + "]}}",
                "so.yaml: spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.stabilizationWindowSeconds:"
                        + " must be an integer from 0 to 3600, not -3");
    }

    @Test
    void genericTriggersFindTheirTargetAndActivationByName() {
        KedaController k = so("{'spec': {'scaleTargetRef': {'name': 'llm'}, 'triggers': [{'type': 'nats-jetstream',"
                + " 'metadata': {'lagThreshold': '7', 'activationLagThreshold': '2'}}, {'type': 'cpu', 'metricType': 'Utilization',"
                + " 'metadata': {'value': '60'}}]}}");
        assertThat(k.triggers().get(0).target()).isEqualTo(7);
        assertThat(k.triggers().get(0).activationTarget()).isEqualTo(2);
        assertThat(k.hpa().metrics()).extracting(MetricSpec::type, MetricSpec::name, MetricSpec::targetType, MetricSpec::target)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("External", "s0-nats-jetstream", "AverageValue", 7.0),
                        org.assertj.core.groups.Tuple.tuple("Resource", "cpu", "Utilization", 60.0));
        // value 2 is not above the activation 2; the cpu trigger is never active itself
        assertThat(k.poll(0, 0, 0, List.of(value(2), new Reading(null, false)))).isEqualTo(new PollResult(null, false, null));
    }
}
