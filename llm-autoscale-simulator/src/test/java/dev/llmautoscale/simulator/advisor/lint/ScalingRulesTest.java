package dev.llmautoscale.simulator.advisor.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.simulator.sim.SimulationResult;
import dev.llmautoscale.simulator.sim.StepLog;
import dev.llmautoscale.simulator.sim.Summary;
import dev.llmautoscale.testsupport.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules on how the autoscaler moves, each shown with {@code run} on the broken and on the fixed config. */
class ScalingRulesTest {

    private static final String QUEUE = "sum(llm_inference_queue_depth)";
    /** A 20-minute spike from 1 to 6 requests a second. */
    private static final String SPIKE = "type: spike\nbase: 1\npeak: 6\nat: 300\nlength: 1200\nduration: 2400\n";
    /** Bursts of 5 requests a second, about 2 minutes apart, each 90 s long. */
    private static final String BURSTS = "type: bursts\nbase: 0.5\nburstRate: 5\nmeanInterval: 120\nlength: 90\n"
            + "duration: 3600\n";

    @TempDir
    Path dir;

    @Test
    void theGuidesLlama70bScaledObjectStaysAtZeroUnderLoad() throws IOException {
        Path guide = SharedData.require("reference/guide-configs/keda-multi-model.yaml");
        String fleet = "server: {model: llama-70b}\nlifecycle: {initialReplicas: 0}\n";
        String load = "type: constant\nrate: 1\nduration: 900\n";
        Fixture broken = new Fixture(dir).file(guide).target("llama-70b-inference").fleet(fleet);
        assertThat(broken.lint()).filteredOn(f -> f.rule().equals("scale-from-zero-never-activates"))
                .singleElement().satisfies(f -> {
                    assertThat(f.field()).isEqualTo("spec.minReplicaCount");
                    assertThat(f.object()).isEqualTo("ScaledObject/llama-70b-scaler");
                });
        Summary s = broken.run(load).summary();
        assertThat(s.maxReplicas()).isZero();
        assertThat(s.served()).isZero();
        assertThat(s.unavailable()).isEqualTo(s.offered()).isPositive();

        String fixedYaml = Files.readString(guide).replace("minReplicaCount: 0", "minReplicaCount: 1");
        Fixture fixed = new Fixture(dir).file(fixedYaml).target("llama-70b-inference").fleet(fleet);
        assertThat(fixed.rules()).doesNotContain("scale-from-zero-never-activates");
        Summary f = fixed.run(load).summary();
        assertThat(f.served()).isGreaterThan(f.offered() / 2);
        assertThat(f.maxReplicas()).isPositive();
    }

    @Test
    void scaleUpFasterThanTheColdStartCascades() {
        // KEDA's HPA default: +100% or +4 pods every 15 s, no window.
        // Two waiting requests per replica: the queue a spike builds while new pods load asks for many replicas.
        Fixture fast = new Fixture(dir).file(Fixture.scaledObject(1, 20, QUEUE, "2", ""));
        assertThat(fast.lint()).filteredOn(f -> f.rule().equals("scale-up-faster-than-cold-start")).singleElement()
                .satisfies(f -> assertThat(f.field())
                        .isEqualTo("spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp"));
        String bounded = """
                horizontalPodAutoscalerConfig:
                  behavior:
                    scaleUp:
                      policies:
                      - {type: Pods, value: 2, periodSeconds: 120}
                """;
        Fixture fixed = new Fixture(dir).file(Fixture.scaledObject(1, 20, QUEUE, "2", bounded));
        assertThat(fixed.rules()).doesNotContain("scale-up-faster-than-cold-start");
        Summary a = fast.run(SPIKE).summary();
        Summary b = fixed.run(SPIKE).summary();
        // The fast one runs to the maximum while its first new pods still load, and pays for it; the bounded one
        // grows by two per cold start and waits no longer in the queue (the spike saturates both).
        assertThat(a.maxReplicas()).isEqualTo(20);
        assertThat(b.maxReplicas()).isLessThanOrEqualTo(12);
        assertThat(a.nodeGpuHours()).isGreaterThan(1.4 * b.nodeGpuHours());
        assertThat(b.queueWaitMs().p95()).isLessThan(a.queueWaitMs().p95() * 1.05);
    }

    @Test
    void aScaleDownWindowShorterThanTheColdStartThrashes() {
        String shortWindow = """
                horizontalPodAutoscalerConfig:
                  behavior:
                    scaleDown:
                      stabilizationWindowSeconds: 30
                """;
        Fixture broken = new Fixture(dir).file(Fixture.scaledObject(1, 10, QUEUE, "10", shortWindow));
        assertThat(broken.lint()).filteredOn(f -> f.rule().equals("scale-down-window-shorter-than-cold-start"))
                .singleElement().satisfies(f -> assertThat(f.field()).endsWith("scaleDown.stabilizationWindowSeconds"));
        Fixture fixed = new Fixture(dir).file(Fixture.scaledObject(1, 10, QUEUE, "10",
                shortWindow.replace("30", "300")));
        assertThat(fixed.rules()).doesNotContain("scale-down-window-shorter-than-cold-start");
        Summary a = broken.run(BURSTS).summary();
        Summary b = fixed.run(BURSTS).summary();
        assertThat(a.thrash()).isGreaterThan(2 * b.thrash());
        assertThat(a.scaleDowns()).isGreaterThan(2 * b.scaleDowns());
        // Replicas removed in a lull are missing in the next burst: more requests find no ready replica.
        assertThat(a.served()).isLessThan(b.served());
    }

    @Test
    void maxReplicasAboveTheNodePoolLeavesPodsPending() {
        String fleet = "nodePool: {maxNodes: 3}\n";
        Fixture broken = new Fixture(dir).file(Fixture.scaledObject(1, 10, QUEUE, "10", "")).fleet(fleet);
        assertThat(broken.lint()).filteredOn(f -> f.rule().equals("max-replicas-above-node-pool")).singleElement()
                .satisfies(f -> assertThat(f.fix()).contains("to 3"));
        SimulationResult r = broken.run(MetricRulesTest.OVERLOAD);
        StepLog log = r.steps();
        int last = log.size() - 1;
        // The autoscaler asks for more than three; everything above three waits for a node that never comes.
        assertThat(r.summary().maxReplicas()).isGreaterThan(3);
        assertThat(log.value("pending", last)).isEqualTo(log.value("desired", last) - 3).isPositive();
        assertThat(r.summary().maxNodes()).isEqualTo(3);

        Fixture fixed = new Fixture(dir).file(Fixture.scaledObject(1, 3, QUEUE, "10", "")).fleet(fleet);
        assertThat(fixed.rules()).doesNotContain("max-replicas-above-node-pool");
        SimulationResult f = fixed.run(MetricRulesTest.OVERLOAD);
        assertThat(f.steps().value("pending", f.steps().size() - 1)).isZero();
    }
}
