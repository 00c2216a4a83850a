package dev.llmautoscale.simulator.decision;

import java.util.List;
import java.util.Map;

/**
 * Where each KEDA scaler keeps its scaling target and activation threshold in {@code triggers[].metadata}, their
 * defaults, and the External metric name it serves to the HPA ({@code s<index>-<name>},
 * {@code GenerateMetricNameWithIndex}).
 */
final class KedaTriggers {

    /**
     * A scaler's field names.
     *
     * @param target        the metadata key of the scaling target
     * @param activation    the metadata key of the activation threshold
     * @param defaultTarget the target when the key is absent, or null when it is required
     */
    record Fields(String target, String activation, Double defaultTarget) {
    }

    private static final Map<String, Fields> KNOWN = Map.ofEntries(
            Map.entry("prometheus", new Fields("threshold", "activationThreshold", null)),
            Map.entry("redis", new Fields("listLength", "activationListLength", 5.0)),
            Map.entry("redis-cluster", new Fields("listLength", "activationListLength", 5.0)),
            Map.entry("redis-sentinel", new Fields("listLength", "activationListLength", 5.0)),
            Map.entry("redis-streams", new Fields("pendingEntriesCount", "activationLagCount", 5.0)),
            Map.entry("metrics-api", new Fields("targetValue", "activationTargetValue", null)),
            Map.entry("kafka", new Fields("lagThreshold", "activationLagThreshold", 10.0)),
            Map.entry("rabbitmq", new Fields("value", "activationValue", 20.0)),
            Map.entry("aws-sqs-queue", new Fields("queueLength", "activationQueueLength", 5.0)),
            Map.entry("postgresql", new Fields("targetQueryValue", "activationTargetQueryValue", null)),
            Map.entry("mysql", new Fields("queryValue", "activationQueryValue", null)),
            Map.entry("cron", new Fields("desiredReplicas", "activationDesiredReplicas", null)),
            Map.entry("cpu", new Fields("value", "", null)),
            Map.entry("memory", new Fields("value", "", null)));

    /** The keys tried, in order, for a scaler type not listed above. */
    static final List<String> GENERIC_TARGETS = List.of("threshold", "targetValue", "value", "queueLength",
            "listLength", "lagThreshold", "targetMetricValue", "targetQueryValue", "queryValue");

    private KedaTriggers() {
    }

    /**
     * @param type     the trigger type
     * @param metadata its metadata
     * @return the field names for it, or null when none of the generic target keys is present
     */
    static Fields fields(String type, Map<String, String> metadata) {
        Fields known = KNOWN.get(type);
        if (known != null) {
            return known;
        }
        for (String key : GENERIC_TARGETS) {
            if (metadata.containsKey(key)) {
                return new Fields(key, "activation" + Character.toUpperCase(key.charAt(0)) + key.substring(1), null);
            }
        }
        return null;
    }

    /**
     * The External metric name KEDA gives the trigger.
     *
     * @param index    the trigger's index in spec.triggers
     * @param type     the trigger type
     * @param metadata its metadata
     * @return {@code s<index>-<name>}
     */
    static String metricName(int index, String type, Map<String, String> metadata) {
        String name = switch (type) {
            case "redis", "redis-cluster", "redis-sentinel" -> "redis-" + metadata.getOrDefault("listName", "");
            case "metrics-api" -> "metric-api-" + metadata.getOrDefault("valueLocation", "");
            case "kafka" -> "kafka-" + metadata.getOrDefault("topic", "");
            default -> type;
        };
        return "s" + index + "-" + normalize(name);
    }

    /** KEDA's {@code util.NormalizeString}. */
    private static String normalize(String s) {
        return s.replace('/', '-').replace('.', '-').replace(':', '-').replace('%', '-').replace('(', '-')
                .replace(')', '-');
    }
}
