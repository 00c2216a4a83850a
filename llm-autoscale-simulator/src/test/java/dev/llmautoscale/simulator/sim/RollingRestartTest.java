package dev.llmautoscale.simulator.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.simulator.config.DeploymentSpec;
import dev.llmautoscale.simulator.config.FleetConfig;
import org.junit.jupiter.api.Test;

/** A rolling restart within maxSurge 1 / maxUnavailable 0 under load: capacity never drops, nothing is lost. */
class RollingRestartTest {

    @Test
    void everyPodIsReplacedWithoutLosingCapacityOrRequests() {
        FleetConfig fleet = TestFleets.fleet("""
                coldStart: {imagePull: 10, weightLoad: 30, warmUp: 1}
                nodePool: {nodesPresent: 3}
                """);
        DeploymentSpec dep = TestFleets.deployment("""
                metadata: {name: m}
                spec:
                  replicas: 3
                  strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
                  template:
                    spec:
                      terminationGracePeriodSeconds: 120
                      containers:
                      - name: c
                        readinessProbe: {httpGet: {path: /ready}, periodSeconds: 5}
                        lifecycle:
                          preStop:
                            exec: {command: [/bin/sh, -c, "sleep 5\\nfor i in $(seq 1 60); do curl localhost/active_requests; sleep 1; done"]}
                """);
        Scenario s = Scenario.fixed("restart", fleet, dep, 3);
        RunOptions o = new RunOptions(1, 1, 2000, 30_000, 600, 100);
        SimulationResult r = new Simulation(s, TestFleets.constant(3, 128, 64, 1200), o).run();
        StepLog log = r.steps();
        int terminatingSeen = 0;
        int surgedSeen = 0;
        for (int i = 0; i < log.size(); i++) {
            int ready = log.value("ready", i);
            int starting = log.value("loading", i) + log.value("pending", i);
            assertThat(ready).as("ready at %s", log.time(i)).isGreaterThanOrEqualTo(3);
            assertThat(ready + starting).as("pods at %s", log.time(i)).isLessThanOrEqualTo(4);
            terminatingSeen = Math.max(terminatingSeen, log.value("terminating", i));
            surgedSeen = Math.max(surgedSeen, starting);
        }
        assertThat(surgedSeen).isEqualTo(1);
        assertThat(terminatingSeen).isPositive();
        // The surge pod needs a fourth node; an old pod keeps its GPU while it drains, so the next surge pod may need
        // one more. Every old pod is gone by the end.
        assertThat(r.summary().maxNodes()).isBetween(4, 6);
        assertThat(log.value("terminating", log.size() - 1)).isZero();
        assertThat(r.summary().lost()).isZero();
        assertThat(r.summary().unavailable()).isZero();
        assertThat(r.summary().rejected()).isZero();
    }
}
