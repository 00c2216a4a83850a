package dev.llmautoscale.simulator.decision;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One KEDA ScaledObject over simulated time: its polling cycles ({@link #poll}: the {@code keda-decide} semantics,
 * with lastActiveTime and the per-trigger failure counts carried from cycle to cycle) and the HorizontalPodAutoscaler
 * KEDA creates for it ({@link #hpaSync}: External metrics {@code s<index>-<metric>}, minReplicas
 * max(minReplicaCount, 1), behavior from {@code advanced.horizontalPodAutoscalerConfig}, fallback metric values),
 * which does nothing while the target is at 0 replicas.
 *
 * <p>CONTRACT for the simulator engine (implemented by the decision work; the signatures are fixed).
 */
public final class KedaController {

    private KedaController() {
    }

    /**
     * Reads a KEDA {@code ScaledObject} {@code spec} and {@code metadata.annotations} with KEDA's defaults.
     *
     * @param scaledObject the whole ScaledObject document (metadata and spec)
     * @param file         the file it came from, for error messages
     * @param tolerance    the HPA controller's tolerance (0.1 by default)
     * @return the controller
     * @throws dev.llmautoscale.simulator.config.ConfigException naming the file and field of a bad value
     */
    public static KedaController fromScaledObject(JsonNode scaledObject, String file, double tolerance) {
        throw new UnsupportedOperationException("contract placeholder: implemented on the sim-decide branch");
    }

    /** @return the triggers, in spec order */
    public List<Trigger> triggers() {
        throw new UnsupportedOperationException("contract placeholder");
    }

    /** @return spec.pollingInterval in seconds (default 30) */
    public double pollingIntervalSeconds() {
        throw new UnsupportedOperationException("contract placeholder");
    }

    /**
     * One KEDA polling cycle.
     *
     * @param now             seconds of simulated time
     * @param currentReplicas the target's spec.replicas
     * @param readyReplicas   pods Running and Ready
     * @param readings        one reading per trigger, in {@link #triggers()} order
     * @return the count KEDA sets (or null: left to the HPA), and the Active condition
     */
    public PollResult poll(double now, int currentReplicas, int readyReplicas, List<Reading> readings) {
        throw new UnsupportedOperationException("contract placeholder");
    }

    /**
     * One sync of the HPA that KEDA created; a no-op returning currentReplicas while currentReplicas is 0.
     *
     * @param now             seconds of simulated time
     * @param currentReplicas the target's spec.replicas
     * @param pods            the pods of the target (for Value targets' ready count and cpu/memory triggers)
     * @param readings        one reading per trigger, in {@link #triggers()} order (the metrics server queries the
     *                        scalers at every HPA read)
     * @return the HPA's sync result
     */
    public HpaController.SyncResult hpaSync(double now, int currentReplicas, List<HpaPod> pods, List<Reading> readings) {
        throw new UnsupportedOperationException("contract placeholder");
    }

    /**
     * A trigger as written in the ScaledObject.
     *
     * @param index            position in spec.triggers
     * @param type             trigger type (prometheus, redis, cpu, memory, metrics-api, ...)
     * @param name             trigger name, or null
     * @param metricType       AverageValue or Value
     * @param target           the scaling target (threshold, listLength, targetValue, value ...)
     * @param activationTarget the activation threshold (default 0)
     * @param metadata         the trigger's metadata, string to string (query, serverAddress, listName, ...)
     */
    public record Trigger(int index, String type, String name, String metricType, double target,
                          double activationTarget, Map<String, String> metadata) {
    }

    /**
     * What a trigger's scaler returned at one read.
     *
     * @param value the value (null with error)
     * @param error the scaler failed (for example the query returned nothing and ignoreNullValues is false)
     */
    public record Reading(Double value, boolean error) {
    }

    /**
     * The outcome of one polling cycle.
     *
     * @param replicas         what KEDA sets or holds on the target, or null when it leaves the count to the HPA
     * @param active           the Active condition after the cycle
     * @param fallbackReplicas the fallback count when a trigger is in fallback, else null
     */
    public record PollResult(Integer replicas, boolean active, Integer fallbackReplicas) {
    }
}
