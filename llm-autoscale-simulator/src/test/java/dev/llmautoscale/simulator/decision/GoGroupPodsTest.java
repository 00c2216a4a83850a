package dev.llmautoscale.simulator.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.simulator.decision.ReplicaCalculator.Pod;
import dev.llmautoscale.simulator.decision.ReplicaCalculator.Settings;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TestGroupPods of {@code replica_calculator_test.go} (cpu initialization period 2 min, initial readiness delay 10 s),
 * in the spec's terms: seconds before now, a sample at the zero time being 10^12 s old. Pods without a PodReady
 * condition are written as not ready (the format has no "no condition"); the table's Succeeded pods are written as
 * Running (the spec ignores Succeeded pods, like Failed ones).
 */
class GoGroupPodsTest {

    private static final Settings GO = new Settings(Tolerances.DEFAULT, 120, 10);
    private static final double ZERO_TIME = HpaReplicasInput.LONG_AGO_SECONDS;

    private static Pod pod(String name, String phase, boolean ready, boolean deleted, double start, double transition,
                           Long sample, double sampleAgo, double window) {
        return new Pod(name, phase, ready, deleted, start, transition, sample == null ? Map.of() : Map.of("cpu", sample),
                sampleAgo, window, Map.of());
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("void", "cpu", List.of(), 0, Set.of(), Set.of(), Set.of()),
                Arguments.of("count in a ready pod - memory", "memory",
                        List.of(new Pod("bentham", "Running", false, false, ZERO_TIME, ZERO_TIME, Map.of("memory", 1L), 0, 60,
                                Map.of())), 1, Set.of(), Set.of(), Set.of()),
                Arguments.of("unready a pod without ready condition - CPU", "cpu",
                        List.of(pod("lucretius", "Running", false, false, 0, ZERO_TIME, 1L, ZERO_TIME, 60)), 0,
                        Set.of("lucretius"), Set.of(), Set.of()),
                Arguments.of("count in a ready pod with fresh metrics during initialization period - CPU", "cpu",
                        List.of(pod("bentham", "Running", true, false, 60, 30, 1L, 0, 30)), 1, Set.of(), Set.of(), Set.of()),
                Arguments.of("unready a ready pod without fresh metrics during initialization period - CPU", "cpu",
                        List.of(pod("bentham", "Running", true, false, 60, 30, 1L, 0, 60)), 0, Set.of("bentham"), Set.of(),
                        Set.of()),
                Arguments.of("unready an unready pod during initialization period - CPU", "cpu",
                        List.of(pod("lucretius", "Running", false, false, 600, 594, 1L, ZERO_TIME, 60)), 0,
                        Set.of("lucretius"), Set.of(), Set.of()),
                Arguments.of("count in a ready pod without fresh metrics after initialization period - CPU", "cpu",
                        List.of(pod("bentham", "Running", true, false, 180, 180, 1L, 120, 60)), 1, Set.of(), Set.of(),
                        Set.of()),
                Arguments.of("count in an unready pod that was ready after initialization period - CPU", "cpu",
                        List.of(pod("lucretius", "Running", false, false, 600, 540, 1L, ZERO_TIME, 60)), 1, Set.of(),
                        Set.of(), Set.of()),
                Arguments.of("unready pod that has never been ready after initialization period - CPU (at the delay: counted)",
                        "cpu", List.of(pod("lucretius", "Running", false, false, 600, 590, 1L, ZERO_TIME, 60)), 1,
                        Set.of(), Set.of(), Set.of()),
                Arguments.of("a missing pod", "cpu", List.of(pod("epicurus", "Running", false, false, 180, ZERO_TIME,
                        null, 0, 60)), 0, Set.of(), Set.of("epicurus"), Set.of()),
                Arguments.of("several pods", "cpu", List.of(
                        pod("lucretius", "Running", false, false, 0, ZERO_TIME, 1L, ZERO_TIME, 60),
                        pod("niccolo", "Running", true, false, 180, 180, 1L, ZERO_TIME, 60),
                        pod("epicurus", "Running", false, false, 180, ZERO_TIME, null, 0, 60)), 1,
                        Set.of("lucretius"), Set.of("epicurus"), Set.of()),
                Arguments.of("pending pods are unreadied", "cpu",
                        List.of(pod("unscheduled", "Pending", false, false, ZERO_TIME, ZERO_TIME, null, 0, 60)), 0,
                        Set.of("unscheduled"), Set.of(), Set.of()),
                Arguments.of("ignore pods with deletion timestamps", "cpu",
                        List.of(pod("deleted", "Pending", false, true, ZERO_TIME, ZERO_TIME, 1L, 0, 60)), 0, Set.of(),
                        Set.of(), Set.of("deleted")),
                Arguments.of("ignore pods in a failed state", "cpu",
                        List.of(pod("failed", "Failed", false, false, ZERO_TIME, ZERO_TIME, 1L, 0, 60)), 0, Set.of(),
                        Set.of(), Set.of("failed")),
                Arguments.of("ignore pods that succeeded (spec)", "cpu",
                        List.of(pod("done", "Succeeded", true, false, ZERO_TIME, ZERO_TIME, 1L, 0, 60)), 0, Set.of(),
                        Set.of(), Set.of("done")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void groupPods(String name, String resource, List<Pod> pods, int ready, Set<String> unready, Set<String> missing,
                   Set<String> ignored) {
        ReplicaCalculator.Groups g = ReplicaCalculator.groupPods(pods, resource, "cpu".equals(resource), GO);
        assertThat(g.readyCount).as("ready").isEqualTo(ready);
        assertThat(g.unready).as("unready").containsExactlyInAnyOrderElementsOf(unready);
        assertThat(g.missing).as("missing").containsExactlyInAnyOrderElementsOf(missing);
        assertThat(g.ignored).as("ignored").containsExactlyInAnyOrderElementsOf(ignored);
    }
}
