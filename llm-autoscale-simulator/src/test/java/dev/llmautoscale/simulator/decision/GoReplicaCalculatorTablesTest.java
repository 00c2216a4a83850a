package dev.llmautoscale.simulator.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The test tables of the Kubernetes HPA controller, translated into the {@code hpa-replicas} and {@code hpa-decide}
 * formats: {@code replica_calculator_test.go} (go-replica-calculator.json) and {@code TestScalingWithRules} of
 * {@code horizontal_test.go} (go-scaling-with-rules.json). The expected values are the Go tables' own.
 */
class GoReplicaCalculatorTablesTest {

    static Stream<Arguments> replicaCalculatorCases() {
        return Json.cases("go-replica-calculator.json").stream()
                .map(c -> Arguments.of(Named.of(c.get("name").asText(), c)));
    }

    static Stream<Arguments> scalingWithRulesCases() {
        return Json.cases("go-scaling-with-rules.json").stream()
                .map(c -> Arguments.of(Named.of(c.get("name").asText(), c)));
    }

    @ParameterizedTest
    @MethodSource("replicaCalculatorCases")
    void replicaCalculator(JsonNode c) {
        HpaReplicasInput input = HpaReplicasInput.parse(JsonFields.of(c.get("input"), "go", ""));
        ReplicaCalculator.Result result = input.compute();
        assertThat(result.replicas()).as("replicas").isEqualTo(c.get("expected").asInt());
        // A Go case that expects an error is a failing metric here: the controller leaves the count alone.
        assertThat(result.proposals().get(0).failed()).as("metric failed").isEqualTo(c.get("fails").asBoolean());
        assertThat(result.acted()).isEqualTo(!c.get("fails").asBoolean());
    }

    @ParameterizedTest
    @MethodSource("scalingWithRulesCases")
    void scalingWithRules(JsonNode c) {
        BehaviorDecision.Decision d = HpaDecideInput.parse(JsonFields.of(c.get("input"), "go", "")).decide();
        assertThat(d.replicas()).as("replicas").isEqualTo(c.get("expected").get("replicas").asInt());
        assertThat(d.reason()).as("reason").isEqualTo(c.get("expected").get("reason").asText());
    }
}
