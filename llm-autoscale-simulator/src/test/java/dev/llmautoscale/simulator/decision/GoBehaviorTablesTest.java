package dev.llmautoscale.simulator.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.simulator.decision.BehaviorDecision.Recommendation;
import dev.llmautoscale.simulator.decision.BehaviorDecision.ScaleEvent;
import dev.llmautoscale.simulator.decision.HpaBehavior.Policy;
import dev.llmautoscale.simulator.decision.HpaBehavior.PolicyType;
import dev.llmautoscale.simulator.decision.HpaBehavior.Rules;
import dev.llmautoscale.simulator.decision.HpaBehavior.SelectPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The behavior tables of {@code horizontal_test.go}: TestNormalizeDesiredReplicasWithBehavior (stabilization and the
 * reuse of obsolete recommendation slots), TestNormalizeDesiredReplicas (the path without behavior),
 * TestStoreScaleEvents (event slots), TestCalculateScaleUpLimitWithScalingRules and
 * TestCalculateScaleDownLimitWithBehaviors. Times are seconds before now = 10000.
 */
class GoBehaviorTablesTest {

    private static final double NOW = 10_000;

    private static Recommendation rec(int replicas, double secondsAgo) {
        return new Recommendation(NOW - secondsAgo, replicas);
    }

    private static HpaBehavior windows(int up, int down) {
        return new HpaBehavior(new Rules(up, SelectPolicy.MAX, HpaBehavior.DEFAULT_SCALE_UP.policies(), null),
                new Rules(down, SelectPolicy.MAX, HpaBehavior.DEFAULT_SCALE_DOWN.policies(), null));
    }

    static Stream<Arguments> stabilizationCases() {
        return Stream.of(
                Arguments.of("empty recommendations for scaling down", List.of(), 100, 5, 5, List.of(5), 0, 0),
                Arguments.of("simple scale down stabilization", List.of(rec(4, 120), rec(5, 60)), 100, 3, 5,
                        List.of(4, 5, 3), 0, 180),
                Arguments.of("simple scale up stabilization", List.of(rec(4, 120), rec(5, 60)), 1, 7, 4,
                        List.of(4, 5, 7), 300, 0),
                Arguments.of("no scale down stabilization", List.of(rec(1, 120), rec(2, 60)), 100, 3, 3,
                        List.of(1, 2, 3), 300, 0),
                Arguments.of("no scale up stabilization", List.of(rec(4, 120), rec(5, 60)), 1, 3, 3,
                        List.of(4, 5, 3), 0, 300),
                Arguments.of("no scale down stabilization, reuse recommendation element",
                        List.of(rec(10, 600), rec(9, 540)), 100, 3, 3, List.of(10, 3), 0, 0),
                Arguments.of("no scale up stabilization, reuse recommendation element",
                        List.of(rec(10, 600), rec(9, 540)), 1, 100, 100, List.of(10, 100), 0, 0),
                Arguments.of("scale down stabilization, reuse one of obsolete recommendation element",
                        List.of(rec(10, 600), rec(4, 60), rec(5, 120), rec(9, 540)), 100, 3, 5,
                        List.of(10, 4, 5, 3), 0, 180),
                Arguments.of("scale up stabilization, reuse one of obsolete recommendation element",
                        List.of(rec(10, 6000), rec(6, 60), rec(5, 120), rec(9, 180)), 1, 100, 5,
                        List.of(100, 6, 5, 9), 300, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stabilizationCases")
    void normalizeDesiredReplicasWithBehavior(String name, List<Recommendation> recs, int current, int desired,
                                              int expectedStabilized, List<Integer> expectedLog, int upWindow,
                                              int downWindow) {
        HpaBehavior b = windows(upWindow, downWindow);
        assertThat(BehaviorDecision.stabilize(NOW, current, desired, b, recs)).isEqualTo(expectedStabilized);
        List<Recommendation> log = new ArrayList<>(recs);
        HpaController.recordRecommendation(log, NOW, upWindow, downWindow, desired);
        assertThat(log).extracting(Recommendation::replicas).containsExactlyElementsOf(expectedLog);
    }

    static Stream<Arguments> legacyCases() {
        return Stream.of(
                Arguments.of("empty log", List.of(), 5, 5, 1),
                Arguments.of("stabilize", List.of(rec(4, 120), rec(5, 60)), 3, 5, 3),
                Arguments.of("no stabilize", List.of(rec(1, 120), rec(2, 60)), 3, 3, 3),
                Arguments.of("no stabilize - old recommendations", List.of(rec(10, 600), rec(9, 540)), 3, 3, 2),
                Arguments.of("stabilize - old recommendations",
                        List.of(rec(10, 600), rec(4, 60), rec(5, 120), rec(9, 540)), 3, 5, 4));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("legacyCases")
    void normalizeDesiredReplicas(String name, List<Recommendation> recs, int desired, int expectedStabilized,
                                  int expectedLogLength) {
        BehaviorDecision.Decision d = BehaviorDecision.decideLegacy(NOW, 1, 100, 10, desired, recs);
        assertThat(d.stabilized()).isEqualTo(expectedStabilized);
        List<Recommendation> log = new ArrayList<>(recs);
        HpaController.recordLegacyRecommendation(log, NOW, desired);
        assertThat(log).hasSize(expectedLogLength);
    }

    /** generateScalingRules(pods, podsPeriod, percent, percentPeriod, window) of horizontal_test.go. */
    private static Rules rules(int pods, int podsPeriod, int percent, int percentPeriod) {
        List<Policy> p = new ArrayList<>();
        if (pods != 0) {
            p.add(new Policy(PolicyType.PODS, pods, podsPeriod));
        }
        if (percent != 0) {
            p.add(new Policy(PolicyType.PERCENT, percent, percentPeriod));
        }
        return new Rules(0, SelectPolicy.MAX, p, null);
    }

    private static ScaleEvent ev(int change, double secondsAgo) {
        return new ScaleEvent(NOW - secondsAgo, change);
    }

    static Stream<Arguments> storeCases() {
        return Stream.of(
                Arguments.of("empty entries with two-policy-behavior", List.of(), rules(10, 60, 100, 60), 0,
                        List.of(5)),
                Arguments.of("one outdated entry to be replaced with behavior", List.of(ev(7, 61)),
                        rules(10, 60, 100, 60), 0, List.of(5)),
                Arguments.of("one actual entry to be not touched with behavior", List.of(ev(7, 58)),
                        rules(10, 60, 100, 60), 7, List.of(7, 5)),
                Arguments.of("two entries, one of them to be replaced", List.of(ev(7, 61), ev(6, 59)),
                        rules(10, 60, 0, 0), 6, List.of(5, 6)),
                Arguments.of("replace one entry, use policies with different periods",
                        List.of(ev(8, 29), ev(6, 59), ev(7, 61), ev(9, 61)), rules(10, 60, 100, 30), 14,
                        List.of(8, 6, 7, 5)),
                Arguments.of("two entries, both actual", List.of(ev(7, 58), ev(6, 59)), rules(10, 120, 100, 30), 13,
                        List.of(7, 6, 5)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("storeCases")
    void storeScaleEvents(String name, List<ScaleEvent> prev, Rules r, int expectedChangeIn60s,
                          List<Integer> expectedChanges) {
        assertThat(BehaviorDecision.changeInPeriod(NOW, 60, prev)).isEqualTo(expectedChangeIn60s);
        List<ScaleEvent> events = new ArrayList<>(prev);
        HpaController.storeEvent(events, NOW, r.longestPolicyPeriod(), 5);
        assertThat(events).extracting(ScaleEvent::change).containsExactlyElementsOf(expectedChanges);
    }

    @Test
    void calculateScaleUpLimitWithScalingRules() {
        Rules r = new Rules(300, SelectPolicy.MIN,
                List.of(new Policy(PolicyType.PODS, 2, 60), new Policy(PolicyType.PERCENT, 50, 60)), null);
        assertThat(BehaviorDecision.scaleUpLimit(NOW, 1, List.of(), List.of(), r)).isEqualTo(2);
    }

    @Test
    void calculateScaleDownLimitWithBehaviors() {
        Rules r = new Rules(300, SelectPolicy.MIN,
                List.of(new Policy(PolicyType.PODS, 2, 60), new Policy(PolicyType.PERCENT, 50, 60)), null);
        assertThat(BehaviorDecision.scaleDownLimit(NOW, 5, List.of(), List.of(), r)).isEqualTo(3);
    }

    @Test
    void scaleUpLimitCountsScaleDownsInThePeriodBackIntoThePeriodStart() {
        // 10 now, 4 removed 30 s ago: the period started at 14, so 100% allows 28.
        Rules r = new Rules(0, SelectPolicy.MAX, List.of(new Policy(PolicyType.PERCENT, 100, 60)), null);
        assertThat(BehaviorDecision.scaleUpLimit(NOW, 10, List.of(), List.of(ev(4, 30)), r)).isEqualTo(28);
    }

    @Test
    void disabledSelectPolicyHoldsTheCurrentCount() {
        Rules r = new Rules(0, SelectPolicy.DISABLED, HpaBehavior.DEFAULT_SCALE_UP.policies(), null);
        assertThat(BehaviorDecision.scaleUpLimit(NOW, 7, List.of(), List.of(), r)).isEqualTo(7);
        assertThat(BehaviorDecision.scaleDownLimit(NOW, 7, List.of(), List.of(), r)).isEqualTo(7);
    }
}
