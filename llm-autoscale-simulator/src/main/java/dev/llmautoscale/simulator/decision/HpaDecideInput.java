package dev.llmautoscale.simulator.decision;

import dev.llmautoscale.simulator.decision.BehaviorDecision.Recommendation;
import dev.llmautoscale.simulator.decision.BehaviorDecision.ScaleEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * One input object of the {@code hpa-decide} command ({@code ../shared/specs/hpa-decide.md}).
 *
 * @param now             seconds
 * @param minReplicas     default 1
 * @param maxReplicas     required
 * @param currentReplicas the target's spec.replicas
 * @param desiredReplicas the recommendation from the metrics
 * @param behavior        the behavior with Kubernetes defaults filled in
 * @param recommendations earlier raw recommendations
 * @param scaleUpEvents   earlier scale-ups
 * @param scaleDownEvents earlier scale-downs
 */
public record HpaDecideInput(double now, int minReplicas, int maxReplicas, int currentReplicas, int desiredReplicas,
                             HpaBehavior behavior, List<Recommendation> recommendations,
                             List<ScaleEvent> scaleUpEvents, List<ScaleEvent> scaleDownEvents) {

    /**
     * Reads and validates one input object.
     *
     * @param in the object
     * @return the input
     * @throws dev.llmautoscale.simulator.config.ConfigException naming the field of a bad value
     */
    public static HpaDecideInput parse(JsonFields in) {
        in.allowOnly("now", "minReplicas", "maxReplicas", "currentReplicas", "desiredReplicas", "behavior",
                "recommendations", "scaleUpEvents", "scaleDownEvents");
        double now = in.requiredNumber("now");
        int max = in.requiredInt("maxReplicas", 1, Integer.MAX_VALUE);
        int min = in.optionalInt("minReplicas", 1, 0, Integer.MAX_VALUE);
        if (min > max) {
            throw in.error("minReplicas", "must be <= maxReplicas (" + max + "), not " + min);
        }
        int current = in.requiredInt("currentReplicas", 0, Integer.MAX_VALUE);
        int desired = in.requiredInt("desiredReplicas", 0, Integer.MAX_VALUE);
        HpaBehavior behavior = HpaSpecReader.behavior(in.optionalObject("behavior"));
        List<Recommendation> recs = new ArrayList<>();
        for (JsonFields r : in.objects("recommendations", false)) {
            r.allowOnly("t", "replicas");
            recs.add(new Recommendation(r.requiredNumber("t"), r.requiredInt("replicas", 0, Integer.MAX_VALUE)));
        }
        return new HpaDecideInput(now, min, max, current, desired, behavior, List.copyOf(recs),
                events(in, "scaleUpEvents"), events(in, "scaleDownEvents"));
    }

    private static List<ScaleEvent> events(JsonFields in, String field) {
        List<ScaleEvent> out = new ArrayList<>();
        for (JsonFields e : in.objects(field, false)) {
            e.allowOnly("t", "change");
            out.add(new ScaleEvent(e.requiredNumber("t"), e.requiredInt("change", 1, Integer.MAX_VALUE)));
        }
        return List.copyOf(out);
    }

    /** @return the decision */
    public BehaviorDecision.Decision decide() {
        return BehaviorDecision.decide(now, minReplicas, maxReplicas, currentReplicas, desiredReplicas, behavior,
                recommendations, scaleUpEvents, scaleDownEvents);
    }
}
