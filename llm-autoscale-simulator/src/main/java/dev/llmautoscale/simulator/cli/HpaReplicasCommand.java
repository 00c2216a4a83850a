package dev.llmautoscale.simulator.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmautoscale.simulator.decision.HpaReplicasInput;
import dev.llmautoscale.simulator.decision.JsonFields;
import picocli.CommandLine.Command;

/** {@code hpa-replicas}: the HPA replica calculation from metrics ({@code ../shared/specs/hpa-replicas.md}). */
@Command(name = "hpa-replicas", mixinStandardHelpOptions = true,
        description = {
            "The replica count the Kubernetes HPA controller computes from the metrics",
            "(computeReplicasForMetrics: the maximum of the per-metric proposals), before",
            "stabilization, policies and min/max (those are hpa-decide). Pods, Resource",
            "(Utilization, AverageValue), Object and External (Value, AverageValue)",
            "metrics; missing, unready and ignored pods; the tolerance inside each",
            "metric; failing metrics block a scale-down, never a scale-up.",
            "",
            "Input (stdin or --input): one JSON object, or an array of them:",
            "  {\"currentReplicas\": 4, \"tolerance\": 0.1,",
            "   \"metrics\": [{\"type\": \"Pods\", \"pods\": {\"metric\": {\"name\": \"q\"},",
            "     \"target\": {\"type\": \"AverageValue\", \"averageValue\": \"10\"}}}],",
            "   \"pods\": [{\"name\": \"p0\", \"metrics\": {\"q\": 12.5}}],",
            "   \"values\": {}}",
            "Output: {\"replicas\":2} (an array for an array).",
            "Exit codes: 0 ok; 2 bad input (stderr names the field; nothing on stdout).",
            "Format: ../shared/specs/hpa-replicas.md; manual: docs/simulator/decisions.md.",
            ""})
final class HpaReplicasCommand extends DecisionCommand<HpaReplicasInput> {

    @Override
    HpaReplicasInput parse(JsonFields in) {
        return HpaReplicasInput.parse(in);
    }

    @Override
    ObjectNode result(HpaReplicasInput parsed) {
        ObjectNode out = JSON.createObjectNode();
        out.put("replicas", parsed.compute().replicas());
        return out;
    }
}
