package dev.llmautoscale.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code keda-decide} through the command line: the worked examples of the KEDA documentation (activation versus
 * scaling, cooldown, initial cooldown, fallback and its behaviors, idle replicas, pause annotations) and the rules of
 * {@code ../shared/specs/keda-decide.md}.
 */
class KedaDecideCommandTest {

    private static String decide(String json) {
        Cli.Run r = Cli.run(json, "keda-decide");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        return r.out().strip();
    }

    private static String out(Integer replicas, boolean active, Integer fallback) {
        return "{\"replicas\":" + replicas + ",\"active\":" + active + ",\"fallbackReplicas\":" + fallback + "}";
    }

    private static String prometheus(double value, double activation) {
        return "{'type': 'prometheus', 'value': " + value + ", 'target': 10, 'activationTarget': " + activation + "}";
    }

    @Test
    void docActivationWinsOverScaling() {
        // "threshold: 10 and activationThreshold: 50, in case of 40 messages the scaler is not active and it'll be
        // scaled to zero even the HPA requires 4 instances"
        assertThat(decide("{'now': 10000, 'currentReplicas': 4, 'lastActiveTime': 1000, 'triggers': ["
                + prometheus(40, 50) + "]}")).isEqualTo(out(0, false, null));
    }

    @Test
    void activationIsStrictlyGreaterThanAndScalesFromZeroToMaxOfMinAndOne() {
        assertThat(decide("{'now': 100, 'currentReplicas': 0, 'triggers': [" + prometheus(5, 5) + "]}"))
                .isEqualTo(out(null, false, null));
        assertThat(decide("{'now': 100, 'currentReplicas': 0, 'triggers': [" + prometheus(5.001, 5) + "]}"))
                .isEqualTo(out(1, true, null));
        assertThat(decide("{'now': 100, 'currentReplicas': 0, 'minReplicaCount': 3, 'triggers': [" + prometheus(1, 0) + "]}"))
                .isEqualTo(out(3, true, null));
        // above zero an active ScaledObject leaves the count to the HPA
        assertThat(decide("{'now': 100, 'currentReplicas': 2, 'triggers': [" + prometheus(100, 0) + "]}"))
                .isEqualTo(out(null, true, null));
    }

    @Test
    void docWithMinReplicaCountOneTheActivationValueHasNoEffectOnTheCount() {
        // "If the minimum replicas is >= 1, the scaler is always active and the activation value will be ignored"
        assertThat(decide("{'now': 10000, 'currentReplicas': 2, 'minReplicaCount': 1, 'triggers': [" + prometheus(0, 50) + "]}"))
                .isEqualTo(out(null, false, null));
        // below the minimum (scaled outside KEDA) an inactive ScaledObject sets the minimum
        assertThat(decide("{'now': 10000, 'currentReplicas': 0, 'minReplicaCount': 2, 'triggers': [" + prometheus(0, 50) + "]}"))
                .isEqualTo(out(2, false, null));
    }

    @Test
    void docCooldownPeriodAppliesOnlyToScalingToZeroAndIsStrict() {
        String trig = "'triggers': [" + prometheus(0, 0) + "]";
        assertThat(decide("{'now': 1300, 'currentReplicas': 3, 'lastActiveTime': 1000, " + trig + "}"))
                .isEqualTo(out(null, false, null));
        assertThat(decide("{'now': 1300.5, 'currentReplicas': 3, 'lastActiveTime': 1000, " + trig + "}"))
                .isEqualTo(out(0, false, null));
        assertThat(decide("{'now': 1061, 'currentReplicas': 3, 'lastActiveTime': 1000, 'cooldownPeriod': 60, " + trig + "}"))
                .isEqualTo(out(0, false, null));
    }

    @Test
    void docInitialCooldownRunsFromCreationWhileLastActiveTimeWasNeverSet() {
        String trig = "'triggers': [" + prometheus(0, 0) + "]";
        // "when you first create your Deployment ... KEDA will immediately scale it to minReplicaCount"
        assertThat(decide("{'now': 1, 'currentReplicas': 3, " + trig + "}")).isEqualTo(out(0, false, null));
        assertThat(decide("{'now': 100, 'currentReplicas': 3, 'creationTimestamp': 0, 'initialCooldownPeriod': 120, "
                + trig + "}")).isEqualTo(out(null, false, null));
        assertThat(decide("{'now': 121, 'currentReplicas': 3, 'creationTimestamp': 0, 'initialCooldownPeriod': 120, "
                + trig + "}")).isEqualTo(out(0, false, null));
    }

    private static final String FALLBACK = "'fallback': {'failureThreshold': 3, 'replicas': 6}";

    @Test
    void docFallbackStartsAfterFailureThresholdConsecutiveFailures() {
        // failures 1..3: in error, held (no scale-in on errors while a fallback is configured)
        assertThat(decide("{'now': 10000, 'currentReplicas': 2, " + FALLBACK
                + ", 'triggers': [{'type': 'prometheus', 'error': true, 'numberOfFailures': 2}]}"))
                .isEqualTo(out(null, false, null));
        // the 4th consecutive failure: in fallback, active, the HPA is steered to 6
        assertThat(decide("{'now': 10000, 'currentReplicas': 2, " + FALLBACK
                + ", 'triggers': [{'type': 'prometheus', 'error': true, 'numberOfFailures': 3}]}"))
                .isEqualTo(out(null, true, 6));
        // at zero the fallback takes the target off zero (KEDA 2.19+): KEDA scales to 1, the HPA then to 6
        assertThat(decide("{'now': 10000, 'currentReplicas': 0, " + FALLBACK
                + ", 'triggers': [{'type': 'prometheus', 'error': true, 'numberOfFailures': 7}]}"))
                .isEqualTo(out(1, true, 6));
    }

    @Test
    void docFallbackBehaviors() {
        String trig = "'triggers': [{'type': 'prometheus', 'error': true, 'numberOfFailures': 3}]";
        String fb = "'fallback': {'failureThreshold': 3, 'replicas': 6, 'behavior': '%s'}";
        assertThat(decide("{'now': 1, 'currentReplicas': 8, " + fb.formatted("currentReplicasIfHigher") + ", " + trig + "}"))
                .isEqualTo(out(null, true, 8));
        assertThat(decide("{'now': 1, 'currentReplicas': 3, " + fb.formatted("currentReplicasIfHigher") + ", " + trig + "}"))
                .isEqualTo(out(null, true, 6));
        assertThat(decide("{'now': 1, 'currentReplicas': 8, " + fb.formatted("currentReplicasIfLower") + ", " + trig + "}"))
                .isEqualTo(out(null, true, 6));
        assertThat(decide("{'now': 1, 'currentReplicas': 3, " + fb.formatted("currentReplicasIfLower") + ", " + trig + "}"))
                .isEqualTo(out(null, true, 3));
        assertThat(decide("{'now': 1, 'currentReplicas': 3, " + fb.formatted("currentReplicas") + ", " + trig + "}"))
                .isEqualTo(out(null, true, 3));
        assertThat(decide("{'now': 1, 'currentReplicas': 3, " + fb.formatted("static") + ", " + trig + "}"))
                .isEqualTo(out(null, true, 6));
    }

    @Test
    void fallbackOfAValueMetricNeedsReadyReplicas() {
        assertThat(decide("{'now': 1, 'currentReplicas': 2, 'readyReplicas': 0, " + FALLBACK
                + ", 'triggers': [{'type': 'prometheus', 'metricType': 'Value', 'error': true, 'numberOfFailures': 3}]}"))
                .isEqualTo(out(null, false, null));
        assertThat(decide("{'now': 1, 'currentReplicas': 2, " + FALLBACK
                + ", 'triggers': [{'type': 'prometheus', 'metricType': 'Value', 'error': true, 'numberOfFailures': 3}]}"))
                .isEqualTo(out(null, true, 6));
    }

    @Test
    void errorsWithoutAFallbackOrWithAnInvalidOneNeverScaleIn() {
        String err = "'triggers': [{'type': 'prometheus', 'error': true}]";
        assertThat(decide("{'now': 10000, 'currentReplicas': 2, " + err + "}")).isEqualTo(out(null, false, null));
        assertThat(decide("{'now': 10000, 'currentReplicas': 2, 'fallback': {'failureThreshold': -1, 'replicas': 6}, "
                + "'triggers': [{'type': 'prometheus', 'error': true, 'numberOfFailures': 9}]}"))
                .isEqualTo(out(null, false, null));
        // fallback.replicas 0: the error hold does not apply, the cooldown decides
        assertThat(decide("{'now': 10000, 'currentReplicas': 2, 'fallback': {'failureThreshold': 3, 'replicas': 0}, "
                + err + "}")).isEqualTo(out(0, false, null));
        // one trigger active and one in error: active, the HPA scales (PartialTriggerError)
        assertThat(decide("{'now': 10000, 'currentReplicas': 2, 'triggers': [" + prometheus(100, 0)
                + ", {'type': 'redis', 'error': true}]}")).isEqualTo(out(null, true, null));
    }

    @Test
    void docPauseAnnotations() {
        String trig = "'triggers': [" + prometheus(100, 0) + "]";
        assertThat(decide("{'now': 1, 'currentReplicas': 4, 'previousActive': true, 'annotations':"
                + " {'autoscaling.keda.sh/paused-replicas': '0'}, " + trig + "}")).isEqualTo(out(0, true, null));
        assertThat(decide("{'now': 1, 'currentReplicas': 4, 'annotations': {'autoscaling.keda.sh/paused': 'true'}, "
                + trig + "}")).isEqualTo(out(4, false, null));
        // not a boolean: KEDA assumes the user wants to pause
        assertThat(decide("{'now': 1, 'currentReplicas': 4, 'annotations': {'autoscaling.keda.sh/paused': 'yes'}, "
                + trig + "}")).isEqualTo(out(4, false, null));
        assertThat(decide("{'now': 1, 'currentReplicas': 4, 'annotations': {'autoscaling.keda.sh/paused': 'False'}, "
                + trig + "}")).isEqualTo(out(null, true, null));
        // both set: paused-replicas wins
        assertThat(decide("{'now': 1, 'currentReplicas': 4, 'annotations': {'autoscaling.keda.sh/paused': 'true',"
                + " 'autoscaling.keda.sh/paused-replicas': '2'}, " + trig + "}")).isEqualTo(out(2, false, null));
    }

    @Test
    void pausedScaleOutAndScaleInAndForceActivation() {
        assertThat(decide("{'now': 1, 'currentReplicas': 0, 'annotations': {'autoscaling.keda.sh/paused-scale-out': 'true'},"
                + " 'triggers': [" + prometheus(100, 0) + "]}")).isEqualTo(out(null, true, null));
        assertThat(decide("{'now': 10000, 'currentReplicas': 3, 'annotations': {'autoscaling.keda.sh/paused-scale-in': '1'},"
                + " 'triggers': [" + prometheus(0, 0) + "]}")).isEqualTo(out(null, false, null));
        assertThat(decide("{'now': 1, 'currentReplicas': 0, 'annotations': {'autoscaling.keda.sh/force-activation': 'true'},"
                + " 'triggers': [" + prometheus(0, 0) + "]}")).isEqualTo(out(1, true, null));
    }

    @Test
    void docIdleReplicaCount() {
        String idle = "'idleReplicaCount': 0, 'minReplicaCount': 2";
        // activity: straight to minReplicaCount
        assertThat(decide("{'now': 1, 'currentReplicas': 0, " + idle + ", 'triggers': [" + prometheus(3, 0) + "]}"))
                .isEqualTo(out(2, true, null));
        assertThat(decide("{'now': 1, 'currentReplicas': 1, " + idle + ", 'triggers': [" + prometheus(3, 0) + "]}"))
                .isEqualTo(out(2, true, null));
        // no activity: back to idleReplicaCount after the cooldown
        assertThat(decide("{'now': 10000, 'currentReplicas': 5, 'lastActiveTime': 1000, " + idle + ", 'triggers': ["
                + prometheus(0, 0) + "]}")).isEqualTo(out(0, false, null));
    }

    @Test
    void theScalerVerdictReplacesTheComparisonAndCpuOnlyObjectsAreActive() {
        assertThat(decide("{'now': 1, 'currentReplicas': 0, 'triggers': [{'type': 'cron', 'isActive': true}]}"))
                .isEqualTo(out(1, true, null));
        assertThat(decide("{'now': 1, 'currentReplicas': 0, 'triggers': [{'type': 'rabbitmq', 'value': 100, 'isActive': false}]}"))
                .isEqualTo(out(null, false, null));
        assertThat(decide("{'now': 1, 'currentReplicas': 0, 'triggers': [{'type': 'cpu'}, {'type': 'memory'}]}"))
                .isEqualTo(out(1, true, null));
        // a cpu trigger is never active itself: with an inactive external trigger the object is inactive
        assertThat(decide("{'now': 1, 'currentReplicas': 0, 'triggers': [{'type': 'cpu'}, " + prometheus(0, 0) + "]}"))
                .isEqualTo(out(null, false, null));
    }

    @Test
    void anArrayGivesAnArrayInTheSameOrder() {
        assertThat(decide("[{'now': 100, 'currentReplicas': 0, 'triggers': [" + prometheus(1, 0) + "]},"
                + " {'now': 100, 'currentReplicas': 0, 'triggers': [" + prometheus(0, 0) + "]}]"))
                .isEqualTo("[" + out(1, true, null) + "," + out(null, false, null) + "]");
    }
}
