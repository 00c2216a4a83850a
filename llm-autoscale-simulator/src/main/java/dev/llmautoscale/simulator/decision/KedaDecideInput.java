package dev.llmautoscale.simulator.decision;

import dev.llmautoscale.simulator.decision.KedaDecision.Fallback;
import dev.llmautoscale.simulator.decision.KedaDecision.TriggerState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads one input object of the {@code keda-decide} command ({@code ../shared/specs/keda-decide.md}) into a
 * {@link KedaDecision.Input}, with KEDA's defaults.
 */
public final class KedaDecideInput {

    private KedaDecideInput() {
    }

    /**
     * Reads and validates one input object.
     *
     * @param in the object
     * @return the decision's input
     * @throws dev.llmautoscale.simulator.config.ConfigException naming the field of a bad value
     */
    public static KedaDecision.Input parse(JsonFields in) {
        in.allowOnly("now", "currentReplicas", "readyReplicas", "minReplicaCount", "maxReplicaCount",
                "idleReplicaCount", "pollingInterval", "cooldownPeriod", "initialCooldownPeriod", "creationTimestamp",
                "lastActiveTime", "previousActive", "annotations", "fallback", "triggers");
        double now = in.requiredNumber("now");
        int current = in.requiredInt("currentReplicas", 0, Integer.MAX_VALUE);
        int ready = in.optionalInt("readyReplicas", current, 0, Integer.MAX_VALUE);
        int min = in.optionalInt("minReplicaCount", 0, 0, Integer.MAX_VALUE);
        in.optionalInt("maxReplicaCount", 100, 0, Integer.MAX_VALUE);
        Integer idle = in.nullableInt("idleReplicaCount", 0, Integer.MAX_VALUE);
        in.optionalNumber("pollingInterval", 30, 0);
        double cooldown = in.optionalNumber("cooldownPeriod", 300, 0);
        double initialCooldown = in.optionalNumber("initialCooldownPeriod", 0, 0);
        double creation = in.optionalNumber("creationTimestamp", 0, Double.NEGATIVE_INFINITY);
        Double lastActive = in.nullableNumber("lastActiveTime");
        boolean previousActive = in.bool("previousActive", false);
        Map<String, String> annotations = annotations(in);
        Fallback fallback = fallback(in.optionalObject("fallback"));
        List<TriggerState> triggers = new ArrayList<>();
        List<JsonFields> items = in.objects("triggers", true);
        if (items.isEmpty()) {
            throw in.error("triggers", "must list at least one trigger");
        }
        for (JsonFields t : items) {
            triggers.add(trigger(t));
        }
        return new KedaDecision.Input(now, current, ready, min, idle, cooldown, initialCooldown, creation, lastActive,
                previousActive, annotations, fallback, List.copyOf(triggers));
    }

    /**
     * metadata.annotations, with paused-replicas checked to be an integer.
     *
     * @param owner the object holding {@code annotations}
     * @return the annotations
     */
    static Map<String, String> annotations(JsonFields owner) {
        Map<String, String> annotations = owner.stringMap("annotations");
        String paused = annotations.get(KedaDecision.PAUSED_REPLICAS);
        if (paused != null) {
            try {
                if (Integer.parseInt(paused.trim()) < 0) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException ex) {
                throw owner.error("annotations." + KedaDecision.PAUSED_REPLICAS,
                        "must be an integer replica count >= 0, not \"" + paused + "\"");
            }
        }
        return Map.copyOf(annotations);
    }

    /**
     * spec.fallback.
     *
     * @param f the object, or null
     * @return the fallback, or null
     */
    static Fallback fallback(JsonFields f) {
        if (f == null) {
            return null;
        }
        f.allowOnly("failureThreshold", "replicas", "behavior");
        int threshold = f.requiredInt("failureThreshold", Integer.MIN_VALUE, Integer.MAX_VALUE);
        int replicas = f.requiredInt("replicas", Integer.MIN_VALUE, Integer.MAX_VALUE);
        String behavior = f.string("behavior", "static", KedaDecision.FALLBACK_BEHAVIORS.toArray(String[]::new));
        return new Fallback(threshold, replicas, behavior);
    }

    private static TriggerState trigger(JsonFields t) {
        t.allowOnly("name", "type", "metricType", "value", "target", "activationTarget", "isActive", "error",
                "numberOfFailures");
        t.string("name", null);
        String type = t.string("type", "external");
        if (type.isEmpty()) {
            throw t.error("type", "must not be empty");
        }
        boolean resource = KedaDecision.isResourceType(type);
        String metricType = resource
                ? t.string("metricType", "Utilization", "Utilization", "AverageValue", "Value")
                : t.string("metricType", "AverageValue", "AverageValue", "Value");
        boolean error = t.bool("error", false);
        Boolean isActive = t.nullableBool("isActive");
        Double value = t.nullableNumber("value");
        if (value == null && !error && isActive == null && !resource) {
            throw t.error("value", "is required (a number) unless error is true or isActive is given");
        }
        t.nullableNumber("target");
        double activation = t.optionalNumber("activationTarget", 0, Double.NEGATIVE_INFINITY);
        int failures = t.optionalInt("numberOfFailures", 0, 0, Integer.MAX_VALUE);
        return new TriggerState(type, metricType, value, activation, isActive, error, failures);
    }
}
