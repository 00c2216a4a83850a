package dev.llmautoscale.simulator.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmautoscale.simulator.decision.JsonFields;
import dev.llmautoscale.simulator.decision.KedaDecideInput;
import dev.llmautoscale.simulator.decision.KedaDecision;
import picocli.CommandLine.Command;

/** {@code keda-decide}: KEDA's own decision at one polling cycle ({@code ../shared/specs/keda-decide.md}). */
@Command(name = "keda-decide", mixinStandardHelpOptions = true,
        description = {
            "What KEDA itself sets on the scale target at one polling cycle of a",
            "ScaledObject: pause annotations, trigger activity (value > activation",
            "target, strict), errors and fallback, scaling from zero or idle to",
            "max(minReplicaCount, 1), and to zero or idle only after the cooldown.",
            "replicas null means KEDA leaves the count to the HPA it created.",
            "",
            "Input (stdin or --input): one JSON object, or an array of them:",
            "  {\"now\": 10000, \"currentReplicas\": 0, \"minReplicaCount\": 0,",
            "   \"cooldownPeriod\": 300, \"lastActiveTime\": null, \"annotations\": {},",
            "   \"fallback\": null, \"triggers\": [{\"type\": \"prometheus\",",
            "     \"value\": 3, \"target\": 5, \"activationTarget\": 0}]}",
            "Output: {\"replicas\":1,\"active\":true,\"fallbackReplicas\":null}",
            "(an array for an array).",
            "Exit codes: 0 ok; 2 bad input (stderr names the field; nothing on stdout).",
            "Format: ../shared/specs/keda-decide.md; manual: docs/simulator/decisions.md.",
            ""})
final class KedaDecideCommand extends DecisionCommand<KedaDecision.Input> {

    @Override
    KedaDecision.Input parse(JsonFields in) {
        return KedaDecideInput.parse(in);
    }

    @Override
    ObjectNode result(KedaDecision.Input parsed) {
        KedaDecision.Outcome o = KedaDecision.decide(parsed);
        ObjectNode out = JSON.createObjectNode();
        if (o.replicas() == null) {
            out.putNull("replicas");
        } else {
            out.put("replicas", o.replicas());
        }
        out.put("active", o.active());
        if (o.fallbackReplicas() == null) {
            out.putNull("fallbackReplicas");
        } else {
            out.put("fallbackReplicas", o.fallbackReplicas());
        }
        return out;
    }
}
