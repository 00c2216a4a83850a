package dev.llmautoscale.simulator.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.simulator.decision.BehaviorDecision.Recommendation;
import dev.llmautoscale.simulator.decision.BehaviorDecision.ScaleEvent;
import dev.llmautoscale.simulator.decision.HpaBehavior.Policy;
import dev.llmautoscale.simulator.decision.HpaBehavior.PolicyType;
import dev.llmautoscale.simulator.decision.HpaBehavior.Rules;
import dev.llmautoscale.simulator.decision.HpaBehavior.SelectPolicy;
import dev.llmautoscale.simulator.decision.HpaController.SyncResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of the HPA behavior over random behaviors, histories and load: never outside min/max, never faster than
 * the policies allow over any of their periods, stabilization holds in both directions, and the same input gives the
 * same output.
 */
class DecisionPropertiesTest {

    @Provide
    Arbitrary<Rules> rules() {
        Arbitrary<Policy> policy = Combinators.combine(Arbitraries.of(PolicyType.class),
                Arbitraries.integers().between(1, 300), Arbitraries.integers().between(1, 600)).as(Policy::new);
        return Combinators.combine(Arbitraries.integers().between(0, 900), Arbitraries.of(SelectPolicy.class),
                policy.list().ofMinSize(1).ofMaxSize(3)).as((w, s, p) -> new Rules(w, s, p, null));
    }

    @Provide
    Arbitrary<List<Recommendation>> recommendations() {
        return Combinators.combine(Arbitraries.doubles().between(0, 1000), Arbitraries.integers().between(0, 200))
                .as(Recommendation::new).list().ofMaxSize(30);
    }

    @Provide
    Arbitrary<List<ScaleEvent>> events() {
        return Combinators.combine(Arbitraries.doubles().between(0, 1000), Arbitraries.integers().between(1, 50))
                .as(ScaleEvent::new).list().ofMaxSize(10);
    }

    @Property(tries = 2000)
    void neverOutsideMinAndMax(@ForAll @IntRange(max = 30) int min, @ForAll @IntRange(min = 1, max = 60) int span,
                               @ForAll @IntRange(max = 120) int current, @ForAll @IntRange(max = 200) int desired,
                               @ForAll("rules") Rules up, @ForAll("rules") Rules down,
                               @ForAll("recommendations") List<Recommendation> recs,
                               @ForAll("events") List<ScaleEvent> ups, @ForAll("events") List<ScaleEvent> downs) {
        int max = min + span;
        BehaviorDecision.Decision d = BehaviorDecision.decide(1000, min, max, current, desired,
                new HpaBehavior(up, down), recs, ups, downs);
        assertThat(d.replicas()).isBetween(min, max);
    }

    @Property(tries = 2000)
    void sameInputSameOutput(@ForAll @IntRange(max = 120) int current, @ForAll @IntRange(max = 200) int desired,
                             @ForAll("rules") Rules up, @ForAll("rules") Rules down,
                             @ForAll("recommendations") List<Recommendation> recs,
                             @ForAll("events") List<ScaleEvent> ups, @ForAll("events") List<ScaleEvent> downs) {
        HpaBehavior b = new HpaBehavior(up, down);
        BehaviorDecision.Decision first = BehaviorDecision.decide(1000, 1, 150, current, desired, b, recs, ups, downs);
        BehaviorDecision.Decision again = BehaviorDecision.decide(1000, 1, 150, current, desired, b,
                new ArrayList<>(recs), new ArrayList<>(ups), new ArrayList<>(downs));
        assertThat(again).isEqualTo(first);
    }

    /** One HPA on an External AverageValue metric of target 1, so the raw recommendation is the value, run over syncs. */
    private record Run(List<Double> times, List<Integer> before, List<SyncResult> results) {
    }

    private static Run run(HpaBehavior behavior, int start, List<Integer> load, List<Integer> gaps, int max) {
        HpaController h = HpaController.create(new HpaController.ScaleTarget(null, "Deployment", "x"), 1, max,
                List.of(new HpaSpecReader.ParsedMetric(new ReplicaCalculator.Metric(ReplicaCalculator.SourceType.EXTERNAL,
                        "q", ReplicaCalculator.TargetType.AVERAGE_VALUE, 1000), Map.of())), behavior, 0.1);
        List<Double> times = new ArrayList<>();
        List<Integer> before = new ArrayList<>();
        List<SyncResult> results = new ArrayList<>();
        double t = 0;
        int replicas = start;
        for (int i = 0; i < load.size(); i++) {
            t += gaps.get(i % gaps.size());
            SyncResult r = h.sync(t, replicas, List.of(), Map.of("q", (double) load.get(i)));
            times.add(t);
            before.add(replicas);
            results.add(r);
            replicas = r.replicas();
        }
        return new Run(times, before, results);
    }

    @Provide
    Arbitrary<List<Integer>> load() {
        return Arbitraries.integers().between(0, 80).list().ofMinSize(1).ofMaxSize(60);
    }

    @Provide
    Arbitrary<List<Integer>> gaps() {
        return Arbitraries.integers().between(1, 40).list().ofMinSize(1).ofMaxSize(5);
    }

    @Property(tries = 500)
    void neverFasterThanOnePolicyAllowsOverAnyOfItsPeriods(
            @ForAll PolicyType type, @ForAll @IntRange(min = 1, max = 150) int value,
            @ForAll @IntRange(min = 1, max = 300) int period, @ForAll @IntRange(min = 1, max = 40) int start,
            @ForAll("load") List<Integer> load, @ForAll("gaps") List<Integer> gaps, @ForAll boolean scaleUp) {
        Rules limited = new Rules(0, SelectPolicy.MAX, List.of(new Policy(type, value, period)), null);
        Rules free = new Rules(0, SelectPolicy.MAX, List.of(new Policy(PolicyType.PERCENT, 1000, 15)), null);
        HpaBehavior b = scaleUp ? new HpaBehavior(limited, free) : new HpaBehavior(free, limited);
        Run run = run(b, start, load, gaps, 100);
        for (int i = 0; i < run.times().size(); i++) {
            double t = run.times().get(i);
            // the count before the earliest change inside (t - period, t]
            int periodStart = run.before().get(i);
            for (int j = i; j >= 0 && run.times().get(j) > t - period; j--) {
                periodStart = run.before().get(j);
            }
            int after = run.results().get(i).replicas();
            if (scaleUp) {
                long limit = type == PolicyType.PODS ? (long) periodStart + value
                        : (long) Math.ceil(periodStart * (1 + value / 100.0));
                assertThat(after).as("t=%s, the period started at %d", t, periodStart)
                        .isLessThanOrEqualTo((int) Math.max(limit, run.before().get(i)));
            } else {
                long limit = type == PolicyType.PODS ? (long) periodStart - value
                        : (long) (periodStart * (1 - value / 100.0));
                assertThat(after).as("t=%s, the period started at %d", t, periodStart)
                        .isGreaterThanOrEqualTo((int) Math.min(Math.max(limit, 1), run.before().get(i)));
            }
        }
    }

    @Property(tries = 500)
    void stabilizationHoldsInBothDirections(@ForAll @IntRange(max = 600) int upWindow,
                                            @ForAll @IntRange(max = 600) int downWindow,
                                            @ForAll @IntRange(min = 1, max = 40) int start,
                                            @ForAll("load") List<Integer> load, @ForAll("gaps") List<Integer> gaps) {
        Rules fast = new Rules(0, SelectPolicy.MAX, List.of(new Policy(PolicyType.PERCENT, 1000, 15)), null);
        HpaBehavior b = new HpaBehavior(new Rules(upWindow, SelectPolicy.MAX, fast.policies(), null),
                new Rules(downWindow, SelectPolicy.MAX, fast.policies(), null));
        Run run = run(b, start, load, gaps, 100);
        double first = run.times().get(0);
        for (int i = 0; i < run.times().size(); i++) {
            double t = run.times().get(i);
            int before = run.before().get(i);
            int after = run.results().get(i).replicas();
            // the recommendations in each window, the current one and the initial one (current at the first sync)
            int highest = run.results().get(i).recommendation();
            int lowest = highest;
            for (int j = 0; j < i; j++) {
                double tj = run.times().get(j);
                int rj = run.results().get(j).recommendation();
                if (tj > t - downWindow) {
                    highest = Math.max(highest, rj);
                }
                if (tj > t - upWindow) {
                    lowest = Math.min(lowest, rj);
                }
            }
            if (first > t - downWindow) {
                highest = Math.max(highest, start);
            }
            if (first > t - upWindow) {
                lowest = Math.min(lowest, start);
            }
            if (after < before) {
                assertThat(after).as("scale-down at t=%s", t).isGreaterThanOrEqualTo(Math.max(1, Math.min(highest, 100)));
            }
            if (after > before) {
                assertThat(after).as("scale-up at t=%s", t).isLessThanOrEqualTo(Math.max(1, lowest));
            }
        }
    }

    @Property(tries = 300)
    void theSameSequenceGivesTheSameDecisions(@ForAll("rules") Rules up, @ForAll("rules") Rules down,
                                              @ForAll @IntRange(min = 1, max = 40) int start,
                                              @ForAll("load") List<Integer> load,
                                              @ForAll @Size(min = 1, max = 5) List<@IntRange(min = 1, max = 40) Integer> gaps) {
        HpaBehavior b = new HpaBehavior(up, down);
        assertThat(run(b, start, load, gaps, 100).results()).isEqualTo(run(b, start, load, gaps, 100).results());
    }
}
