package dev.llmautoscale.simulator.advisor.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.simulator.sim.Summary;
import dev.llmautoscale.testsupport.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules on the Deployment's pod, each shown with {@code run} on the broken and on the fixed Deployment. */
class PodRulesTest {

    /** Long answers (1500 tokens, about a minute each) at a rate three replicas serve, then a lull: scale-down. */
    private static final String LONG_ANSWERS_THEN_LULL = """
            type: spike
            base: 0.1
            peak: 0.4
            at: 0
            length: 600
            duration: 1500
            arrivals: uniform
            promptTokens: 100
            outputTokens: 1500
            """;
    /** Scales from 4 to 1 quickly once the queue is gone. */
    private static final String DOWN_FAST = """
            horizontalPodAutoscalerConfig:
              behavior:
                scaleDown:
                  stabilizationWindowSeconds: 120
                  policies:
                  - {type: Percent, value: 100, periodSeconds: 15}
            """;
    private static final String READY = "readinessProbe: {httpGet: {path: /ready}, periodSeconds: 5}\n";

    @TempDir
    Path dir;

    private Fixture scaledDown(String podSpec, String lifecycle) {
        return new Fixture(dir)
                .file(Fixture.scaledObject(4, 4, "sum(llm_inference_queue_depth)", "10", "").replace(
                        "minReplicaCount: 4", "minReplicaCount: 1"))
                .file(Fixture.deployment("replicas: 4\n" + podSpec, Fixture.ENV, READY + lifecycle))
                .fleet("lifecycle: {initialReplicas: 4}\n");
    }

    @Test
    void aGracePeriodShorterThanTheDrainLosesRequests() {
        Fixture broken = scaledDown("terminationGracePeriodSeconds: 30", "");
        assertThat(broken.lint()).filteredOn(f -> f.rule().equals("grace-period-too-short")).singleElement()
                .satisfies(f -> {
                    assertThat(f.field()).isEqualTo("spec.template.spec.terminationGracePeriodSeconds");
                    assertThat(f.object()).isEqualTo("Deployment/llm-inference");
                    assertThat(f.fix()).contains("at least 65");
                });
        Summary s = broken.run(LONG_ANSWERS_THEN_LULL).summary();
        assertThat(s.scaleDowns()).isPositive();
        assertThat(s.lost()).isPositive();

        Fixture fixed = scaledDown("terminationGracePeriodSeconds: 70", "");
        assertThat(fixed.rules()).doesNotContain("grace-period-too-short");
        Summary f = fixed.run(LONG_ANSWERS_THEN_LULL).summary();
        assertThat(f.scaleDowns()).isPositive();
        assertThat(f.lost()).isZero();
    }

    @Test
    void theGuidesPreStopSleepWithTheDefaultGracePeriodCutsRequests() {
        String sleep = "lifecycle: {preStop: {exec: {command: [\"/bin/sh\", \"-c\", \"sleep 30\"]}}}\n";
        Fixture broken = scaledDown("", sleep);
        assertThat(broken.lint()).extracting(Finding::rule).contains("prestop-takes-grace-period")
                .doesNotContain("grace-period-too-short");
        Summary s = broken.run(LONG_ANSWERS_THEN_LULL).summary();
        assertThat(s.lost()).isPositive();

        Fixture fixed = scaledDown("terminationGracePeriodSeconds: 95", sleep);
        assertThat(fixed.rules()).doesNotContain("prestop-takes-grace-period", "grace-period-too-short");
        assertThat(fixed.run(LONG_ANSWERS_THEN_LULL).summary().lost()).isZero();
    }

    private Fixture scaledUp(String probes) {
        return new Fixture(dir)
                .file(Fixture.scaledObject(1, 6, "sum(llm_inference_queue_depth)", "10", ""))
                .file(Fixture.deployment("terminationGracePeriodSeconds: 120", Fixture.ENV, probes));
    }

    @Test
    void livenessOnTheReadinessPathRestartsEveryLoadingPod() {
        String sameProbe = "readinessProbe: {httpGet: {path: /ready}, periodSeconds: 5}\n"
                + "livenessProbe: {httpGet: {path: /ready}, initialDelaySeconds: 10, periodSeconds: 10,"
                + " failureThreshold: 3}\n";
        Fixture broken = scaledUp(sameProbe);
        assertThat(broken.lint()).filteredOn(f -> f.rule().equals("probe-restarts-loading-pod")).singleElement()
                .satisfies(f -> {
                    assertThat(f.field()).endsWith(".livenessProbe");
                    assertThat(f.problem()).contains("(the same path as readiness)").contains("gives up after 30 s");
                });
        Summary s = broken.run(MetricRulesTest.OVERLOAD).summary();
        assertThat(s.maxReplicas()).isGreaterThan(1);
        // No new pod ever becomes Ready: nothing reacts to the load.
        assertThat(s.reactionSeconds()).isNaN();
        var steps = broken.run(MetricRulesTest.OVERLOAD).steps();
        for (int i = 0; i < steps.size(); i++) {
            assertThat(steps.value("ready", i)).isLessThanOrEqualTo(1);
        }

        Fixture fixed = scaledUp(sameProbe.replace("livenessProbe: {httpGet: {path: /ready}",
                "livenessProbe: {httpGet: {path: /health}") + "startupProbe: {httpGet: {path: /ready},"
                + " periodSeconds: 5, failureThreshold: 60}\n");
        assertThat(fixed.rules()).doesNotContain("probe-restarts-loading-pod");
        var f = fixed.run(MetricRulesTest.OVERLOAD).steps();
        int maxReady = 0;
        for (int i = 0; i < f.size(); i++) {
            maxReady = Math.max(maxReady, f.value("ready", i));
        }
        assertThat(maxReady).isGreaterThan(1);
    }

    @Test
    void theGuidesReadinessOnHealthSendsRequestsToLoadingPods() throws IOException {
        Path guide = SharedData.require("reference/guide-configs/deployment.yaml");
        String so = Fixture.scaledObject(2, 10, "sum(llm_inference_queue_depth)", "10", "");
        Fixture broken = new Fixture(dir).file(so).file(guide);
        assertThat(broken.lint()).filteredOn(f -> f.rule().equals("ready-before-loaded")).singleElement()
                .satisfies(f -> assertThat(f.problem()).contains("/health (the same path as liveness)"));
        assertThat(broken.run(MetricRulesTest.OVERLOAD).summary().unavailable()).isPositive();

        String fixedYaml = Files.readString(guide).replaceFirst("path: /health", "path: /ready");
        Fixture fixed = new Fixture(dir).file(so).file(fixedYaml);
        assertThat(fixed.rules()).doesNotContain("ready-before-loaded");
        assertThat(fixed.run(MetricRulesTest.OVERLOAD).summary().unavailable()).isZero();
    }
}
