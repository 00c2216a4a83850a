package dev.llmautoscale.simulator.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.llmautoscale.simulator.config.DeploymentSpec;
import dev.llmautoscale.simulator.config.FleetConfig;
import org.junit.jupiter.api.Test;

/** One replica under constant load, against what admission control and continuous batching imply. */
class ReplicaModelTest {

    private static final String SERVER = """
            server: {maxConcurrency: 32, queueCapacity: 64, maxQueueWaitSeconds: 30, maxBatchSize: 8,
                     prefillMsPerToken: 0.5, decodeMsPerToken: 25, batchSlowdown: 0.05}
            """;

    private static Summary run(String fleetYaml, double rate, double duration) {
        FleetConfig fleet = TestFleets.fleet(fleetYaml);
        Scenario s = Scenario.fixed("one", fleet, DeploymentSpec.absent("m"), 1);
        return new Simulation(s, TestFleets.constant(rate, 100, 50, duration), RunOptions.defaults()).run().summary();
    }

    @Test
    void belowCapacityEverythingIsServedWithoutQueueing() {
        // One request every 2 s, each done in 50 x 25 ms + 50 ms of prefill = 1.3 s: always alone in the engine.
        Summary s = run(SERVER, 0.5, 600);
        assertThat(s.offered()).isEqualTo(299);
        assertThat(s.rejected()).isZero();
        assertThat(s.unavailable()).isZero();
        assertThat(s.served() + s.unfinished()).isEqualTo(s.offered());
        assertThat(s.queueWaitMs().max()).isZero();
        // Alone in the engine: TTFT = one step of 25 ms decode + 100 x 0.5 ms prefill; e2e 1300 ms.
        assertThat(s.ttftMs().p50()).isCloseTo(75, within(0.1));
        assertThat(s.ttftMs().max()).isCloseTo(75, within(0.1));
        assertThat(s.e2eMs().p99()).isCloseTo(1300, within(1.5));
    }

    @Test
    void aboveCapacityTheQueueFillsAndTheRestGets429() {
        double duration = 600;
        Summary s = run(SERVER, 10, duration);
        // Saturated: 8 sequences per step of 25 x (1 + 0.05 x 7) = 33.75 ms, plus on average 8/50 joins x 100
        // prompt tokens x 0.5 ms = 8 ms of prefill: 0.16 completions per 41.75 ms step.
        double throughput = 0.16 / 0.04175;
        assertThat(s.served() + s.rejected() + s.unfinished()).isEqualTo(s.offered());
        assertThat((double) s.served()).isCloseTo(throughput * duration, within(0.02 * throughput * duration));
        assertThat(s.unfinished()).isBetween(90L, 96L); // 32 admitted + 64 queued at the end
        // A queued request waits for the 64 ahead of it: 64 / throughput seconds (below the 30 s max wait).
        assertThat(s.queueWaitMs().p99()).isCloseTo(64 / throughput * 1000, within(0.05 * 64 / throughput * 1000));
    }

    @Test
    void aQueueWaitAboveTheMaximumIsRefused() {
        Summary s = run("""
                server: {maxConcurrency: 8, queueCapacity: 10000, maxQueueWaitSeconds: 5, maxBatchSize: 8}
                """, 10, 300);
        assertThat(s.rejected()).isGreaterThan(s.offered() / 3);
        assertThat(s.queueWaitMs().max()).isLessThanOrEqualTo(5000);
        assertThat(s.served() + s.rejected() + s.unfinished()).isEqualTo(s.offered());
    }

    @Test
    void aShortGracePeriodLosesExactlyTheRequestsStillRunning() {
        // One request every 10 s, 1000 output tokens: about 27.5 s each (batch of 3: 25 x 1.1 ms per token).
        // At t=100 the only pod is deleted: no preStop, SIGTERM at once, 5 s pre-drain delay (still admitting; the
        // endpoint goes at 105), drain. Grace 10 s: SIGKILL at 110. Running then: the requests of t=90 and t=100;
        // the one of t=80 ends at about 107.5 and is served.
        Summary lost = scaleDown(10);
        assertThat(lost.lost()).isEqualTo(2);
        // With a grace period that covers the drain, nothing is lost.
        Summary kept = scaleDown(120);
        assertThat(kept.lost()).isZero();
        assertThat(kept.served()).isEqualTo(lost.served() + 2);
    }

    @Test
    void aDrainTimeoutShorterThanTheAnswersCutsThemToo() {
        // Grace 120 s, but the server gives up its drain 5 s after the 5 s pre-drain delay: it exits at 110 with the
        // same two requests running.
        assertThat(scaleDown(120, 5).lost()).isEqualTo(2);
    }

    private static Summary scaleDown(int grace) {
        return scaleDown(grace, 60);
    }

    private static Summary scaleDown(int grace, int drainTimeout) {
        FleetConfig fleet = TestFleets.fleet("""
                server: {preDrainDelaySeconds: 5, drainTimeoutSeconds: %d, shutdownLingerSeconds: 2}
                lifecycle: {endpointPropagationSeconds: 5}
                """.formatted(drainTimeout));
        DeploymentSpec dep = TestFleets.deployment("""
                metadata: {name: m}
                spec:
                  replicas: 1
                  template:
                    spec:
                      terminationGracePeriodSeconds: %d
                      containers: [{name: c}]
                """.formatted(grace));
        Scenario s = new Scenario("down", fleet, dep, "default", () -> TestFleets.scaleAt(1, 0, 100));
        return new Simulation(s, TestFleets.constant(0.1, 100, 1000, 200), RunOptions.defaults()).run().summary();
    }
}
