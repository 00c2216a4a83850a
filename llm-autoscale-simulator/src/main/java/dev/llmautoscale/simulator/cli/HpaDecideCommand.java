package dev.llmautoscale.simulator.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmautoscale.simulator.decision.BehaviorDecision;
import dev.llmautoscale.simulator.decision.HpaDecideInput;
import dev.llmautoscale.simulator.decision.JsonFields;
import picocli.CommandLine.Command;

/** {@code hpa-decide}: one HPA behavior decision ({@code ../shared/specs/hpa-decide.md}). */
@Command(name = "hpa-decide", mixinStandardHelpOptions = true,
        description = {
            "What the Kubernetes HPA controller sets, given the recommendation from the",
            "metrics (normalizeDesiredReplicasWithBehaviors): stabilization over the",
            "windows (the current recommendation included), then the scaleUp/scaleDown",
            "policies over their periods, counted from the replicas at the start of each",
            "period, with selectPolicy Max/Min/Disabled, then minReplicas/maxReplicas.",
            "",
            "Input (stdin or --input): one JSON object, or an array of them:",
            "  {\"now\": 1000, \"minReplicas\": 1, \"maxReplicas\": 10,",
            "   \"currentReplicas\": 5, \"desiredReplicas\": 8,",
            "   \"behavior\": { autoscaling/v2 spec.behavior },",
            "   \"recommendations\": [{\"t\": 990, \"replicas\": 6}],",
            "   \"scaleUpEvents\": [{\"t\": 980, \"change\": 2}],",
            "   \"scaleDownEvents\": [{\"t\": 985, \"change\": 1}]}",
            "Output: {\"replicas\":7,\"reason\":\"ScaleUpLimit\"} (an array for an array).",
            "Defaults: minReplicas 1; scaleUp window 0 s, Max of 4 pods and 100%% per",
            "15 s; scaleDown window 300 s, 100%% per 15 s.",
            "Exit codes: 0 ok; 2 bad input (stderr names the field; nothing on stdout).",
            "Format: ../shared/specs/hpa-decide.md; manual: docs/simulator/decisions.md.",
            ""})
final class HpaDecideCommand extends DecisionCommand<HpaDecideInput> {

    @Override
    HpaDecideInput parse(JsonFields in) {
        return HpaDecideInput.parse(in);
    }

    @Override
    ObjectNode result(HpaDecideInput parsed) {
        BehaviorDecision.Decision d = parsed.decide();
        ObjectNode out = JSON.createObjectNode();
        out.put("replicas", d.replicas());
        out.put("reason", d.reason());
        return out;
    }
}
