package dev.llmautoscale.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad-input rule of the three specs: exit code 2, nothing on stdout, one message on stderr that names the
 * input, the field (with the array index) and what is allowed, and never a stack trace.
 */
class BadInputTest {

    private static final String POD_METRIC = "{'type': 'Pods', 'pods': {'metric': {'name': 'q'},"
            + " 'target': {'type': 'AverageValue', 'averageValue': '10'}}}";

    private static String replicas(String metric) {
        return "{'currentReplicas': 1, 'metrics': [" + metric + "], 'pods': [{'name': 'a', 'metrics': {'q': 1}}]}";
    }

    static Stream<Arguments> hpaReplicas() {
        return Stream.of(
                Arguments.of("{'metrics': [" + POD_METRIC + "]}", "currentReplicas: is required"),
                Arguments.of("{'currentReplicas': -1, 'metrics': [" + POD_METRIC + "]}", "currentReplicas: must be an integer >= 0"),
                Arguments.of("{'currentReplicas': 1}", "metrics: is required"),
                Arguments.of("{'currentReplicas': 1, 'metrics': []}", "metrics: must list at least one metric"),
                Arguments.of("{'currentReplicas': 1, 'metrics': [" + POD_METRIC + "], 'pods': [{'ready': true}]}",
                        "pods[0].name: is required"),
                Arguments.of("{'currentReplicas': 1, 'metrics': [" + POD_METRIC + "], 'pods': [{'name': 'a'}, {'name': 'a'}]}",
                        "pods[1].name: \"a\" is used by another pod"),
                Arguments.of(replicas("{'type': 'CheddarCheese'}"),
                        "metrics[0].type: \"CheddarCheese\" is not allowed; allowed: Resource, Pods, Object, External"),
                Arguments.of(replicas("{'type': 'ContainerResource', 'containerResource': {}}"),
                        "metrics[0].type: ContainerResource is valid in Kubernetes but not modelled here"),
                Arguments.of(replicas("{'type': 'Resource', 'resource': {'target': {'type': 'Utilization', 'averageUtilization': 50}}}"),
                        "metrics[0].resource.name: is required"),
                Arguments.of(replicas("{'type': 'Pods', 'pods': {'metric': {}, 'target': {'type': 'AverageValue', 'averageValue': '1'}}}"),
                        "metrics[0].pods.metric.name: is required"),
                Arguments.of(replicas("{'type': 'Object', 'object': {'metric': {}, 'target': {'type': 'Value', 'value': '1'}}}"),
                        "metrics[0].object.metric.name: is required"),
                Arguments.of(replicas("{'type': 'External', 'external': {'metric': {}, 'target': {'type': 'Value', 'value': '1'}}}"),
                        "metrics[0].external.metric.name: is required"),
                Arguments.of(replicas("{'type': 'Resource', 'resource': {'name': 'cpu', 'target': {'type': 'Utilization'}}}"),
                        "metrics[0].resource.target: a Resource target needs averageValue (a quantity) or averageUtilization"),
                Arguments.of(replicas("{'type': 'Pods', 'pods': {'metric': {'name': 'q'}, 'target': {'type': 'Value', 'value': '1'}}}"),
                        "metrics[0].pods.target.averageValue: is required for a Pods metric"),
                Arguments.of(replicas("{'type': 'Object', 'object': {'metric': {'name': 'x'}, 'target': {'type': 'Value', 'averageValue': '1'}}}"),
                        "metrics[0].object.target: an Object target needs type: Value with value, or type: AverageValue with averageValue"),
                Arguments.of(replicas("{'type': 'Object', 'object': {'metric': {'name': 'x'}, 'target': {'value': '1'}}}"),
                        "metrics[0].object.target.type: an Object target needs type: Value"),
                Arguments.of(replicas("{'type': 'External', 'external': {'metric': {'name': 'y'}, 'target': {'type': 'Value'}}}"),
                        "metrics[0].external.target: an External target needs averageValue or value"),
                Arguments.of(replicas("{'type': 'Pods', 'pods': {'metric': {'name': 'q'}, 'target': {'type': 'AverageValue', 'averageValue': '10 apples'}}}"),
                        "metrics[0].pods.target.averageValue: \"10 apples\" is not a Kubernetes quantity"),
                Arguments.of(replicas("{'type': 'Pods', 'pods': {'metric': {'name': 'q'}, 'target': {'type': 'AverageValue', 'averageValue': '1K'}}}"),
                        "averageValue: \"1K\" is not a Kubernetes quantity"),
                Arguments.of(replicas("{'type': 'Pods', 'pods': {'metric': {'name': 'q'}, 'target': {'type': 'AverageValue', 'averageValue': '0'}}}"),
                        "averageValue: must be positive"),
                Arguments.of(replicas("{'type': 'Resource', 'resource': {'name': 'cpu', 'target': {'type': 'Utilization', 'averageUtilization': 0}}}"),
                        "averageUtilization: must be an integer >= 1"),
                Arguments.of(replicas("{'type': 'Resource', 'resource': {'name': 'cpu', 'target': {'type': 'Percent', 'averageUtilization': 5}}}"),
                        "metrics[0].resource.target.type: \"Percent\" is not allowed; allowed: Utilization, Value, AverageValue"),
                Arguments.of("{'currentReplicas': 1, 'metrics': [" + POD_METRIC + "], 'pods': [{'name': 'a', 'phase': 'Sleeping'}]}",
                        "pods[0].phase: \"Sleeping\" is not allowed; allowed: Running, Pending, Succeeded, Failed, Unknown"),
                Arguments.of("{'currentReplicas': 1, 'metrics': [" + POD_METRIC + "], 'pods': [{'name': 'a', 'metrics': {'q': '12'}}]}",
                        "pods[0].metrics.q: must be a number, not the string \"12\""),
                Arguments.of("{'currentReplicas': 1, 'metrics': [" + POD_METRIC + "], 'tolerance': -0.1}",
                        "tolerance: must be a number >= 0"),
                Arguments.of("[" + replicas(POD_METRIC) + ", {'currentReplicas': 1, 'metric': []}]",
                        "[1].metric: unknown field; allowed fields here: currentReplicas, tolerance"));
    }

    static Stream<Arguments> hpaDecide() {
        String ok = "'now': 0, 'maxReplicas': 10, 'currentReplicas': 5, 'desiredReplicas': 8";
        return Stream.of(
                Arguments.of("{'maxReplicas': 10, 'currentReplicas': 5, 'desiredReplicas': 8}", "now: is required (a number)"),
                Arguments.of("{'now': 0, 'currentReplicas': 5, 'desiredReplicas': 8}", "maxReplicas: is required"),
                Arguments.of("{'now': 0, 'maxReplicas': 10, 'desiredReplicas': 8}", "currentReplicas: is required"),
                Arguments.of("{'now': 0, 'maxReplicas': 10, 'currentReplicas': 5}", "desiredReplicas: is required"),
                Arguments.of("{" + ok + ", 'minReplicas': 11}", "minReplicas: must be <= maxReplicas (10), not 11"),
                Arguments.of("{'now': 0, 'maxReplicas': 10, 'currentReplicas': 2.5, 'desiredReplicas': 8}",
                        "currentReplicas: must be an integer >= 0, not 2.5"),
                Arguments.of("{" + ok + ", 'behavior': {'scaleDown': {'stabilizationWindowSeconds': -5}}}",
                        "behavior.scaleDown.stabilizationWindowSeconds: must be an integer from 0 to 3600, not -5"),
                Arguments.of("{" + ok + ", 'behavior': {'scaleUp': {'stabilizationWindowSeconds': 3601}}}",
                        "behavior.scaleUp.stabilizationWindowSeconds: must be an integer from 0 to 3600, not 3601"),
                Arguments.of("{" + ok + ", 'behavior': {'scaleUp': {'selectPolicy': 'Maximum'}}}",
                        "behavior.scaleUp.selectPolicy: \"Maximum\" is not allowed; allowed: Max, Min, Disabled"),
                Arguments.of("{" + ok + ", 'behavior': {'scaleUp': {'policies': []}}}",
                        "behavior.scaleUp.policies: must list at least one policy"),
                Arguments.of("{" + ok + ", 'behavior': {'scaleUp': {'policies': [{'type': 'Replicas', 'value': 1, 'periodSeconds': 15}]}}}",
                        "behavior.scaleUp.policies[0].type: \"Replicas\" is not allowed; allowed: Pods, Percent"),
                Arguments.of("{" + ok + ", 'behavior': {'scaleUp': {'policies': [{'type': 'Pods', 'value': 0, 'periodSeconds': 15}]}}}",
                        "behavior.scaleUp.policies[0].value: must be an integer >= 1, not 0"),
                Arguments.of("{" + ok + ", 'behavior': {'scaleDown': {'policies': [{'type': 'Pods', 'value': 1, 'periodSeconds': 1801}]}}}",
                        "behavior.scaleDown.policies[0].periodSeconds: must be an integer from 1 to 1800, not 1801"),
                Arguments.of("{" + ok + ", 'behavior': {'scaleDown': {'policies': [{'type': 'Pods', 'value': 1}]}}}",
                        "behavior.scaleDown.policies[0].periodSeconds: is required"),
                Arguments.of("{" + ok + ", 'behavior': {'scaledown': {}}}",
                        "behavior.scaledown: unknown field; allowed fields here: scaleUp, scaleDown"),
                Arguments.of("{" + ok + ", 'scaleUpEvents': [{'t': 1, 'change': 0}]}",
                        "scaleUpEvents[0].change: must be an integer >= 1, not 0"),
                Arguments.of("{" + ok + ", 'recommendations': [{'replicas': 3}]}", "recommendations[0].t: is required"),
                Arguments.of("[{" + ok + "}, 7]", "[1]: must be a JSON object, not the number 7"),
                Arguments.of("{" + ok + "", "(document): is not valid JSON"),
                Arguments.of("\"hello\"", "(document): must be one JSON object or an array of them, not the string \"hello\""),
                Arguments.of("   ", "(document): is empty; expected one JSON object or an array of them"),
                Arguments.of("{" + ok + "} {" + ok + "}", "(document): is not valid JSON"));
    }

    static Stream<Arguments> kedaDecide() {
        String prom = "{'type': 'prometheus', 'value': 1}";
        return Stream.of(
                Arguments.of("{'currentReplicas': 0, 'triggers': [" + prom + "]}", "now: is required"),
                Arguments.of("{'now': 0, 'triggers': [" + prom + "]}", "currentReplicas: is required"),
                Arguments.of("{'now': 0, 'currentReplicas': 0}", "triggers: is required"),
                Arguments.of("{'now': 0, 'currentReplicas': 0, 'triggers': []}", "triggers: must list at least one trigger"),
                Arguments.of("{'now': 0, 'currentReplicas': 0, 'triggers': [{'type': 'prometheus'}]}",
                        "triggers[0].value: is required (a number) unless error is true or isActive is given"),
                Arguments.of("{'now': 0, 'currentReplicas': 0, 'triggers': [{'type': 'prometheus', 'metricType': 'Utilization', 'value': 1}]}",
                        "triggers[0].metricType: \"Utilization\" is not allowed; allowed: AverageValue, Value"),
                Arguments.of("{'now': 0, 'currentReplicas': 0, 'fallback': {'failureThreshold': 3, 'replicas': 6, 'behavior': 'dynamic'},"
                        + " 'triggers': [" + prom + "]}",
                        "fallback.behavior: \"dynamic\" is not allowed; allowed: static, currentReplicas, currentReplicasIfHigher, currentReplicasIfLower"),
                Arguments.of("{'now': 0, 'currentReplicas': 0, 'fallback': {'replicas': 6}, 'triggers': [" + prom + "]}",
                        "fallback.failureThreshold: is required"),
                Arguments.of("{'now': 0, 'currentReplicas': 0, 'annotations': {'autoscaling.keda.sh/paused-replicas': 'all'},"
                        + " 'triggers': [" + prom + "]}",
                        "annotations.autoscaling.keda.sh/paused-replicas: must be an integer replica count >= 0, not \"all\""),
                Arguments.of("{'now': 0, 'currentReplicas': 0, 'annotations': {'x': {'y': 1}}, 'triggers': [" + prom + "]}",
                        "annotations.x: must be a string, not an object"),
                Arguments.of("{'now': 0, 'currentReplicas': 0, 'idleReplicaCount': -1, 'triggers': [" + prom + "]}",
                        "idleReplicaCount: must be an integer >= 0, not -1"),
                Arguments.of("{'now': 0, 'currentReplicas': 0, 'triggers': [{'type': 'prometheus', 'value': 1, 'threshold': 5}]}",
                        "triggers[0].threshold: unknown field; allowed fields here: name, type, metricType, value, target"),
                Arguments.of("[{'now': 0, 'currentReplicas': 0, 'triggers': [" + prom + "]}, {'now': 0, 'currentReplicas': 0,"
                        + " 'triggers': [" + prom + ", {'type': 'redis', 'isActive': 'yes'}]}]",
                        "[1].triggers[1].isActive: must be true or false, not the string \"yes\""));
    }

    @ParameterizedTest(name = "hpa-replicas: {1}")
    @MethodSource("hpaReplicas")
    void hpaReplicasRejects(String input, String message) {
        assertRejected("hpa-replicas", input, message);
    }

    @ParameterizedTest(name = "hpa-decide: {1}")
    @MethodSource("hpaDecide")
    void hpaDecideRejects(String input, String message) {
        assertRejected("hpa-decide", input, message);
    }

    @ParameterizedTest(name = "keda-decide: {1}")
    @MethodSource("kedaDecide")
    void kedaDecideRejects(String input, String message) {
        assertRejected("keda-decide", input, message);
    }

    @org.junit.jupiter.api.Test
    void aMissingInputFileIsNamed() {
        Cli.Run r = Cli.run("", "keda-decide", "--input", "/nonexistent/so.json");
        assertThat(r.exitCode()).isEqualTo(SimulatorCli.EXIT_BAD_INPUT);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).isEqualTo("error: /nonexistent/so.json: (file): no such file" + System.lineSeparator());
    }

    private static void assertRejected(String command, String input, String message) {
        Cli.Run r = Cli.run(input, command);
        assertThat(r.exitCode()).as(r.err()).isEqualTo(SimulatorCli.EXIT_BAD_INPUT);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("error: -: ").contains(message.replace('\'', '"'));
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }
}
