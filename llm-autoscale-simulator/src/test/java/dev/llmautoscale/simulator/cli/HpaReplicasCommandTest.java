package dev.llmautoscale.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.StringJoiner;
import org.junit.jupiter.api.Test;

/**
 * {@code hpa-replicas} through the command line: the worked examples of the Kubernetes documentation (the algorithm
 * details of "Horizontal Pod Autoscaling", the HPA walkthrough) and the rules of {@code ../shared/specs/hpa-replicas.md}.
 */
class HpaReplicasCommandTest {

    private static int replicas(String json) {
        Cli.Run r = Cli.run(json, "hpa-replicas");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        return r.json().get("replicas").asInt();
    }

    private static final String QUEUE_100M = "[{'type': 'Pods', 'pods': {'metric': {'name': 'q'},"
            + " 'target': {'type': 'AverageValue', 'averageValue': '100m'}}}]";

    private static String pods(int n, String metric, String value) {
        StringJoiner j = new StringJoiner(", ", "[", "]");
        for (int i = 0; i < n; i++) {
            j.add("{'name': 'p" + i + "', 'metrics': {'" + metric + "': " + value + "}}");
        }
        return j.toString();
    }

    @Test
    void docAlgorithmDoublesAt200mHalvesAt50mAndSkipsNearOne() {
        // "if the current metric value is 200m, and the desired value is 100m, the number of replicas will be
        // doubled ... If the current value is instead 50m, you'll halve the number of replicas ... The control
        // plane skips any scaling action if the ratio is sufficiently close to 1.0 (within ... 0.1 by default)"
        assertThat(replicas("{'currentReplicas': 4, 'metrics': " + QUEUE_100M + ", 'pods': " + pods(4, "q", "0.2") + "}"))
                .isEqualTo(8);
        assertThat(replicas("{'currentReplicas': 4, 'metrics': " + QUEUE_100M + ", 'pods': " + pods(4, "q", "0.05") + "}"))
                .isEqualTo(2);
        assertThat(replicas("{'currentReplicas': 4, 'metrics': " + QUEUE_100M + ", 'pods': " + pods(4, "q", "0.108") + "}"))
                .isEqualTo(4);
        assertThat(replicas("{'currentReplicas': 4, 'metrics': " + QUEUE_100M + ", 'pods': " + pods(4, "q", "0.111") + "}"))
                .isEqualTo(5);
    }

    @Test
    void toleranceBoundsAreInclusive() {
        String metric = "[{'type': 'Pods', 'pods': {'metric': {'name': 'q'}, 'target': {'type': 'AverageValue', 'averageValue': '10'}}}]";
        // ratio exactly 1.1 and 0.9: within (|1 - 1.1| = 0.10000000000000009 was outside before Kubernetes 1.33)
        assertThat(replicas("{'currentReplicas': 3, 'metrics': " + metric + ", 'pods': " + pods(3, "q", "11") + "}"))
                .isEqualTo(3);
        assertThat(replicas("{'currentReplicas': 3, 'metrics': " + metric + ", 'pods': " + pods(3, "q", "9") + "}"))
                .isEqualTo(3);
        assertThat(replicas("{'currentReplicas': 3, 'metrics': " + metric + ", 'pods': " + pods(3, "q", "11.001") + "}"))
                .isEqualTo(4);
        // a custom tolerance
        assertThat(replicas("{'currentReplicas': 3, 'tolerance': 0.5, 'metrics': " + metric + ", 'pods': "
                + pods(3, "q", "14") + "}")).isEqualTo(3);
    }

    @Test
    void walkthroughPhpApacheAt305PercentOfA50PercentTargetProposesSeven() {
        // kubectl autoscale deployment php-apache --cpu-percent=50 --min=1 --max=10; TARGETS 305%/50% -> 7
        String json = "{'currentReplicas': 1, 'metrics': [{'type': 'Resource', 'resource': {'name': 'cpu',"
                + " 'target': {'type': 'Utilization', 'averageUtilization': 50}}}],"
                + " 'pods': [{'name': 'php-apache-0', 'metrics': {'cpu': 0.61}, 'requests': {'cpu': 0.2}}]}";
        assertThat(replicas(json)).isEqualTo(7);
    }

    @Test
    void walkthroughSeveralMetricsTakeTheLargestProposal() {
        // cpu 50%, packets-per-second 1k per pod, requests-per-second 10k on the main-route Ingress
        String metrics = "[{'type': 'Resource', 'resource': {'name': 'cpu', 'target': {'type': 'Utilization', 'averageUtilization': 50}}},"
                + " {'type': 'Pods', 'pods': {'metric': {'name': 'packets-per-second'}, 'target': {'type': 'AverageValue', 'averageValue': '1k'}}},"
                + " {'type': 'Object', 'object': {'metric': {'name': 'requests-per-second'}, 'describedObject': {'apiVersion': 'networking.k8s.io/v1',"
                + " 'kind': 'Ingress', 'name': 'main-route'}, 'target': {'type': 'Value', 'value': '10k'}}}]";
        StringJoiner p = new StringJoiner(", ", "[", "]");
        for (int i = 0; i < 4; i++) {
            p.add("{'name': 'p" + i + "', 'metrics': {'cpu': 0.2, 'packets-per-second': 1500}, 'requests': {'cpu': 0.5}}");
        }
        // cpu 40% -> 4 (ratio 0.8 x 4 = 3.2 -> 4), pps 1.5 -> 6, rps 2.5 x 4 ready pods -> 10
        assertThat(replicas("{'currentReplicas': 4, 'metrics': " + metrics + ", 'pods': " + p
                + ", 'values': {'requests-per-second': 25000}}")).isEqualTo(10);
        assertThat(replicas("{'currentReplicas': 4, 'metrics': " + metrics + ", 'pods': " + p
                + ", 'values': {'requests-per-second': 10000}}")).isEqualTo(6);
    }

    @Test
    void ratiosAreFloat64AndTheProposalIsTheirCeiling() {
        // spec: 27 pods at 70% against 30% give 70/30 x 27 = 63.00000000000001, so 64
        StringJoiner p = new StringJoiner(", ", "[", "]");
        for (int i = 0; i < 27; i++) {
            p.add("{'name': 'p" + i + "', 'metrics': {'cpu': 0.7}, 'requests': {'cpu': 1}}");
        }
        assertThat(replicas("{'currentReplicas': 27, 'metrics': [{'type': 'Resource', 'resource': {'name': 'cpu',"
                + " 'target': {'type': 'Utilization', 'averageUtilization': 30}}}], 'pods': " + p + "}")).isEqualTo(64);
    }

    @Test
    void samplesBecomeMilliUnitsInExactDecimalArithmetic() {
        // 2.007 x 1000 is 2007.0000000000002 as a double, so ceil on doubles would give 2008m; exact decimal gives
        // 2007m = the target: ratio 1, no change even with tolerance 0
        String metric = "[{'type': 'Pods', 'pods': {'metric': {'name': 'q'}, 'target': {'type': 'AverageValue', 'averageValue': '2007m'}}}]";
        assertThat(replicas("{'currentReplicas': 20, 'tolerance': 0, 'metrics': " + metric + ", 'pods': "
                + pods(20, "q", "2.007") + "}")).isEqualTo(20);
        // a value between two milli-units rounds up: 2.0071 -> 2008m, ratio > 1 -> ceil(20.0099...) = 21
        assertThat(replicas("{'currentReplicas': 20, 'tolerance': 0, 'metrics': " + metric + ", 'pods': "
                + pods(20, "q", "2.0071") + "}")).isEqualTo(21);
    }

    @Test
    void quantitySuffixesOfTargets() {
        String pod = "[{'name': 'p0', 'metrics': {'memory': 2147483648}}]";
        String mem = "[{'type': 'Resource', 'resource': {'name': 'memory', 'target': {'type': 'AverageValue', 'averageValue': '1Gi'}}}]";
        assertThat(replicas("{'currentReplicas': 1, 'metrics': " + mem + ", 'pods': " + pod + "}")).isEqualTo(2);
        String exp = "[{'type': 'Pods', 'pods': {'metric': {'name': 'q'}, 'target': {'type': 'AverageValue', 'averageValue': '1e3'}}}]";
        assertThat(replicas("{'currentReplicas': 1, 'metrics': " + exp + ", 'pods': " + pods(1, "q", "3000") + "}"))
                .isEqualTo(3);
    }

    @Test
    void podsMetricsNeverConsultReadinessButMissingPodsAreConservative() {
        String m = "[{'type': 'Pods', 'pods': {'metric': {'name': 'q'}, 'target': {'type': 'AverageValue', 'averageValue': '10'}}}]";
        // three pods at 140% of the target; without a fourth pod: ceil(1.4 x 3) = 5
        String three = "{'name': 'a', 'metrics': {'q': 14}}, {'name': 'b', 'metrics': {'q': 14}}, {'name': 'c', 'metrics': {'q': 14}}";
        assertThat(replicas("{'currentReplicas': 3, 'metrics': " + m + ", 'pods': [" + three + "]}")).isEqualTo(5);
        // a loading pod (Running, not Ready) that reports an empty queue counts as ready and drags the average
        // down to 10.5: within the tolerance, 4 stay 4
        assertThat(replicas("{'currentReplicas': 4, 'metrics': " + m + ", 'pods': [" + three
                + ", {'name': 'd', 'ready': false, 'metrics': {'q': 0}}]}")).isEqualTo(4);
        // the same pod reporting nothing is missing: 0 on a scale-up, the same 4
        assertThat(replicas("{'currentReplicas': 4, 'metrics': " + m + ", 'pods': [" + three
                + ", {'name': 'd', 'ready': false, 'metrics': {}}]}")).isEqualTo(4);
        // a Pending pod is unready: 0 on a scale-up
        assertThat(replicas("{'currentReplicas': 4, 'metrics': " + m + ", 'pods': [" + three
                + ", {'name': 'd', 'phase': 'Pending'}]}")).isEqualTo(4);
        // at 200% the loading pod counts as one of four ready pods: avg 15, ceil(1.5 x 4) = 6
        String hot = three.replace("14", "20");
        assertThat(replicas("{'currentReplicas': 4, 'metrics': " + m + ", 'pods': [" + hot
                + ", {'name': 'd', 'ready': false, 'metrics': {'q': 0}}]}")).isEqualTo(6);
        // a Failed pod is ignored altogether
        assertThat(replicas("{'currentReplicas': 4, 'metrics': " + m + ", 'pods': [" + hot
                + ", {'name': 'd', 'phase': 'Failed', 'metrics': {'q': 0}}]}")).isEqualTo(6);
        // on a scale-down a missing pod counts as exactly the target
        assertThat(replicas("{'currentReplicas': 4, 'metrics': " + m + ", 'pods': [{'name': 'a', 'metrics': {'q': 1}},"
                + " {'name': 'b', 'metrics': {'q': 1}}, {'name': 'c', 'metrics': {'q': 1}}, {'name': 'd'}]}")).isEqualTo(2);
    }

    @Test
    void objectAndExternalValueTargetsMultiplyByRunningAndReadyPods() {
        String ext = "[{'type': 'External', 'external': {'metric': {'name': 'y', 'selector': {}}, 'target': {'type': 'Value', 'value': '10'}}}]";
        // 2 of 4 pods ready: ratio 3 x 2 = 6
        assertThat(replicas("{'currentReplicas': 4, 'metrics': " + ext + ", 'pods': [{'name': 'a'}, {'name': 'b'},"
                + " {'name': 'c', 'ready': false}, {'name': 'd', 'phase': 'Pending', 'ready': false}], 'values': {'y': 30}}"))
                .isEqualTo(6);
        // every pod still loading: a rising signal proposes 0
        assertThat(replicas("{'currentReplicas': 4, 'metrics': " + ext + ", 'pods': [{'name': 'a', 'ready': false},"
                + " {'name': 'b', 'ready': false}], 'values': {'y': 30}}")).isZero();
        // deleted pods still count as ready pods here
        assertThat(replicas("{'currentReplicas': 2, 'metrics': " + ext + ", 'pods': [{'name': 'a'},"
                + " {'name': 'b', 'deleted': true}], 'values': {'y': 30}}")).isEqualTo(6);
    }

    @Test
    void averageValueTargetsIgnorePodsAndExternalAverageValueWinsOverValue() {
        String ext = "[{'type': 'External', 'external': {'metric': {'name': 'y'}, 'target': {'type': 'Value', 'value': '1', 'averageValue': '5'}}}]";
        assertThat(replicas("{'currentReplicas': 2, 'metrics': " + ext + ", 'values': {'y': 33}}")).isEqualTo(7);
        // within the tolerance of averageValue x currentReplicas: no change
        assertThat(replicas("{'currentReplicas': 7, 'metrics': " + ext + ", 'values': {'y': 33}}")).isEqualTo(7);
    }

    @Test
    void atZeroReplicasValueGivesCeilOfTheRatioAndPodMetricsFail() {
        String obj = "[{'type': 'Object', 'object': {'metric': {'name': 'x'}, 'describedObject': {'kind': 'Service', 'name': 's'},"
                + " 'target': {'type': 'Value', 'value': '30'}}}]";
        assertThat(replicas("{'currentReplicas': 0, 'metrics': " + obj + ", 'values': {'x': 42}}")).isEqualTo(2);
        String avg = "[{'type': 'External', 'external': {'metric': {'name': 'y'}, 'target': {'type': 'AverageValue', 'averageValue': '2'}}}]";
        assertThat(replicas("{'currentReplicas': 0, 'metrics': " + avg + ", 'values': {'y': 7}}")).isEqualTo(4);
        assertThat(replicas("{'currentReplicas': 0, 'metrics': " + QUEUE_100M + "}")).isZero();
    }

    @Test
    void aFailingMetricBlocksAScaleDownButNeverAScaleUp() {
        String two = "[{'type': 'Pods', 'pods': {'metric': {'name': 'q'}, 'target': {'type': 'AverageValue', 'averageValue': '10'}}},"
                + " {'type': 'External', 'external': {'metric': {'name': 'absent'}, 'target': {'type': 'Value', 'value': '1'}}}]";
        assertThat(replicas("{'currentReplicas': 4, 'metrics': " + two + ", 'pods': " + pods(4, "q", "20") + "}"))
                .isEqualTo(8);
        assertThat(replicas("{'currentReplicas': 4, 'metrics': " + two + ", 'pods': " + pods(4, "q", "2") + "}"))
                .isEqualTo(4);
        // every metric failing: no pods for the Pods metric, no value for the External one
        assertThat(replicas("{'currentReplicas': 4, 'metrics': " + two + "}")).isEqualTo(4);
    }

    @Test
    void utilizationFailsWhenAnyListedPodLacksARequest() {
        String cpu = "[{'type': 'Resource', 'resource': {'name': 'cpu', 'target': {'type': 'Utilization', 'averageUtilization': 50}}}]";
        assertThat(replicas("{'currentReplicas': 3, 'metrics': " + cpu + ", 'pods': [{'name': 'a', 'metrics': {'cpu': 0.2},"
                + " 'requests': {'cpu': 0.1}}, {'name': 'b', 'phase': 'Failed'}]}")).isEqualTo(3);
        assertThat(replicas("{'currentReplicas': 3, 'metrics': " + cpu + ", 'pods': [{'name': 'a', 'metrics': {'cpu': 0.2},"
                + " 'requests': {'cpu': 0.1}}, {'name': 'b', 'phase': 'Failed', 'requests': {'cpu': 0.1}}]}")).isEqualTo(4);
    }

    @Test
    void cpuInitializationPeriodMakesAFreshPodUnready() {
        String cpu = "[{'type': 'Resource', 'resource': {'name': 'cpu', 'target': {'type': 'Utilization', 'averageUtilization': 50}}}]";
        String ready = "{'name': 'a', 'metrics': {'cpu': 1}, 'requests': {'cpu': 1}}";
        // started 60 s ago, ready 30 s ago, a 60 s sample taken now: it does not cover a full window since the
        // readiness change, so the pod is unready and counts as 0 on a scale-up
        String fresh = "{'name': 'b', 'startSecondsAgo': 60, 'readyTransitionSecondsAgo': 30, 'metrics': {'cpu': 1}, 'requests': {'cpu': 1}}";
        assertThat(replicas("{'currentReplicas': 2, 'metrics': " + cpu + ", 'pods': [" + ready + ", " + fresh + "]}"))
                .isEqualTo(2);
        // with a 30 s window the sample is fresh enough: both pods at 200% -> 4
        String windowed = "{'name': 'b', 'startSecondsAgo': 60, 'readyTransitionSecondsAgo': 30, 'metricWindowSeconds': 30,"
                + " 'metrics': {'cpu': 1}, 'requests': {'cpu': 1}}";
        assertThat(replicas("{'currentReplicas': 2, 'metrics': " + cpu + ", 'pods': [" + ready + ", " + windowed + "]}"))
                .isEqualTo(4);
    }
}
