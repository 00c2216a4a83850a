package dev.llmautoscale.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code hpa-decide} through the command line: the worked examples of the Kubernetes documentation
 * ("Horizontal Pod Autoscaling", section "Configurable scaling behavior") and the rules of
 * {@code ../shared/specs/hpa-decide.md}.
 */
class HpaDecideCommandTest {

    private static String decide(String json) {
        Cli.Run r = Cli.run(json, "hpa-decide");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        return r.out().strip();
    }

    /** The documentation's scale-down policies: 4 pods or 10% per minute, the larger change wins. */
    private static final String DOC_POLICIES = "'behavior': {'scaleDown': {'policies': ["
            + "{'type': 'Pods', 'value': 4, 'periodSeconds': 60},"
            + "{'type': 'Percent', 'value': 10, 'periodSeconds': 60}]}}";

    @Test
    void docScalingPoliciesFrom80To10RemoveEightThenEightThenFourAtATime() {
        // "if there are 80 replicas and the target has to be scaled down to 10 replicas then during the first step
        // 8 replicas will be reduced. In the next iteration when the number of replicas is 72, 10% of the pods is
        // 7.2 but the number is rounded up to 8 ... When the number of replicas falls below 40 the first policy
        // (Pods) is applied and 4 replicas will be reduced at a time."
        String first = "{'now': 1000, 'maxReplicas': 100, 'currentReplicas': 80, 'desiredReplicas': 10, "
                + DOC_POLICIES + "}";
        assertThat(decide(first)).isEqualTo("{\"replicas\":72,\"reason\":\"ScaleDownLimit\"}");
        String next = "{'now': 1060, 'maxReplicas': 100, 'currentReplicas': 72, 'desiredReplicas': 10, "
                + "'scaleDownEvents': [{'t': 1000, 'change': 8}], " + DOC_POLICIES + "}";
        assertThat(decide(next)).isEqualTo("{\"replicas\":64,\"reason\":\"ScaleDownLimit\"}");
        String below40 = "{'now': 1000, 'maxReplicas': 100, 'currentReplicas': 30, 'desiredReplicas': 10, "
                + DOC_POLICIES + "}";
        assertThat(decide(below40)).isEqualTo("{\"replicas\":26,\"reason\":\"ScaleDownLimit\"}");
    }

    @Test
    void docPoliciesWithinOnePeriodCountFromTheReplicasAtItsStart() {
        // 15 s after 80 -> 72 the period still started at 80: 10% of 80 is 8, already removed, so nothing more.
        String json = "{'now': 1015, 'maxReplicas': 100, 'currentReplicas': 72, 'desiredReplicas': 10, "
                + "'scaleDownEvents': [{'t': 1000, 'change': 8}], " + DOC_POLICIES + "}";
        assertThat(decide(json)).isEqualTo("{\"replicas\":72,\"reason\":\"ScaleDownLimit\"}");
    }

    @Test
    void docStabilizationWindowUsesTheHighestRecommendationInTheWindow() {
        // "the algorithm looks into previously computed desired states, and uses the highest value from the
        // specified interval" (scaleDown.stabilizationWindowSeconds: 300)
        String json = "{'now': 1000, 'maxReplicas': 20, 'currentReplicas': 10, 'desiredReplicas': 4,"
                + " 'recommendations': [{'t': 800, 'replicas': 9}, {'t': 900, 'replicas': 7}, {'t': 699, 'replicas': 15}],"
                + " 'behavior': {'scaleDown': {'stabilizationWindowSeconds': 300}}}";
        assertThat(decide(json)).isEqualTo("{\"replicas\":9,\"reason\":\"ScaleDownStabilized\"}");
    }

    @Test
    void docChangedDownscaleWindowOf60SecondsForgetsOlderRecommendations() {
        String json = "{'now': 1000, 'maxReplicas': 20, 'currentReplicas': 10, 'desiredReplicas': 4,"
                + " 'recommendations': [{'t': 800, 'replicas': 9}, {'t': 960, 'replicas': 6}],"
                + " 'behavior': {'scaleDown': {'stabilizationWindowSeconds': 60}}}";
        assertThat(decide(json)).isEqualTo("{\"replicas\":6,\"reason\":\"ScaleDownStabilized\"}");
    }

    @Test
    void docDefaultBehaviorScaleUpIsTheLargerOfFourPodsAndDoublingPer15Seconds() {
        assertThat(decide("{'now': 0, 'maxReplicas': 100, 'currentReplicas': 2, 'desiredReplicas': 20}"))
                .isEqualTo("{\"replicas\":6,\"reason\":\"ScaleUpLimit\"}");
        assertThat(decide("{'now': 0, 'maxReplicas': 100, 'currentReplicas': 10, 'desiredReplicas': 50}"))
                .isEqualTo("{\"replicas\":20,\"reason\":\"ScaleUpLimit\"}");
        // scale-down by default: 100% per 15 s, after a 300 s window (no earlier recommendation here)
        assertThat(decide("{'now': 0, 'maxReplicas': 100, 'currentReplicas': 10, 'desiredReplicas': 1}"))
                .isEqualTo("{\"replicas\":1,\"reason\":\"DesiredWithinRange\"}");
    }

    @Test
    void docLimitScaleDownRateTo10PercentAndAtMostFivePodsWithSelectPolicyMin() {
        String percentOnly = "{'now': 0, 'maxReplicas': 100, 'currentReplicas': 100, 'desiredReplicas': 10,"
                + " 'behavior': {'scaleDown': {'policies': [{'type': 'Percent', 'value': 10, 'periodSeconds': 60}]}}}";
        assertThat(decide(percentOnly)).isEqualTo("{\"replicas\":90,\"reason\":\"ScaleDownLimit\"}");
        String withMin = "{'now': 0, 'maxReplicas': 100, 'currentReplicas': 100, 'desiredReplicas': 10,"
                + " 'behavior': {'scaleDown': {'selectPolicy': 'Min', 'policies': ["
                + "{'type': 'Percent', 'value': 10, 'periodSeconds': 60}, {'type': 'Pods', 'value': 5, 'periodSeconds': 60}]}}}";
        assertThat(decide(withMin)).isEqualTo("{\"replicas\":95,\"reason\":\"ScaleDownLimit\"}");
    }

    @Test
    void docDisableScaleDown() {
        String json = "{'now': 0, 'maxReplicas': 20, 'currentReplicas': 10, 'desiredReplicas': 1,"
                + " 'behavior': {'scaleDown': {'selectPolicy': 'Disabled'}}}";
        assertThat(decide(json)).isEqualTo("{\"replicas\":10,\"reason\":\"ScaleDownLimit\"}");
    }

    @Test
    void scaleUpStabilizationTakesTheLowestRecommendationOfItsWindowIncludingTheCurrentOne() {
        String json = "{'now': 1000, 'maxReplicas': 20, 'currentReplicas': 2, 'desiredReplicas': 9,"
                + " 'recommendations': [{'t': 950, 'replicas': 5}, {'t': 900, 'replicas': 3}],"
                + " 'behavior': {'scaleUp': {'stabilizationWindowSeconds': 60}}}";
        assertThat(decide(json)).isEqualTo("{\"replicas\":5,\"reason\":\"ScaleUpStabilized\"}");
        // a recommendation exactly at now - window is outside (strictly later only)
        String edge = "{'now': 1000, 'maxReplicas': 20, 'currentReplicas': 2, 'desiredReplicas': 9,"
                + " 'recommendations': [{'t': 940, 'replicas': 3}],"
                + " 'behavior': {'scaleUp': {'stabilizationWindowSeconds': 60}}}";
        assertThat(decide(edge)).isEqualTo("{\"replicas\":6,\"reason\":\"ScaleUpLimit\"}");
    }

    @Test
    void minAndMaxReplicas() {
        assertThat(decide("{'now': 0, 'minReplicas': 3, 'maxReplicas': 8, 'currentReplicas': 5, 'desiredReplicas': 1}"))
                .isEqualTo("{\"replicas\":3,\"reason\":\"TooFewReplicas\"}");
        assertThat(decide("{'now': 0, 'minReplicas': 3, 'maxReplicas': 8, 'currentReplicas': 5, 'desiredReplicas': 9}"))
                .isEqualTo("{\"replicas\":8,\"reason\":\"TooManyReplicas\"}");
        // outside the range already: the controller sets the bound without running the behavior
        assertThat(decide("{'now': 0, 'minReplicas': 3, 'maxReplicas': 8, 'currentReplicas': 12, 'desiredReplicas': 2,"
                + " 'behavior': {'scaleDown': {'selectPolicy': 'Disabled'}}}"))
                .isEqualTo("{\"replicas\":8,\"reason\":\"TooManyReplicas\"}");
        assertThat(decide("{'now': 0, 'minReplicas': 3, 'maxReplicas': 8, 'currentReplicas': 1, 'desiredReplicas': 1}"))
                .isEqualTo("{\"replicas\":3,\"reason\":\"TooFewReplicas\"}");
    }

    @Test
    void defaultMinReplicasIsOne() {
        assertThat(decide("{'now': 0, 'maxReplicas': 8, 'currentReplicas': 5, 'desiredReplicas': 0}"))
                .isEqualTo("{\"replicas\":1,\"reason\":\"TooFewReplicas\"}");
    }

    @Test
    void anArrayGivesAnArrayInTheSameOrder() {
        String json = "[{'now': 0, 'maxReplicas': 100, 'currentReplicas': 10, 'desiredReplicas': 50},"
                + " {'now': 0, 'maxReplicas': 8, 'currentReplicas': 5, 'desiredReplicas': 5},"
                + " {'now': 0, 'maxReplicas': 8, 'currentReplicas': 5, 'desiredReplicas': 9}]";
        assertThat(decide(json)).isEqualTo("[{\"replicas\":20,\"reason\":\"ScaleUpLimit\"},"
                + "{\"replicas\":5,\"reason\":\"DesiredWithinRange\"},{\"replicas\":8,\"reason\":\"TooManyReplicas\"}]");
        assertThat(decide("[]")).isEqualTo("[]");
    }

    @Test
    void inputFromAFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path f = dir.resolve("in.json");
        java.nio.file.Files.writeString(f, "{\"now\": 0, \"maxReplicas\": 8, \"currentReplicas\": 5, \"desiredReplicas\": 9}");
        Cli.Run r = Cli.run("this stdin is not read", "hpa-decide", "--input", f.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().strip()).isEqualTo("{\"replicas\":8,\"reason\":\"TooManyReplicas\"}");
    }
}
