package dev.llmautoscale.simulator.decision;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * One HorizontalPodAutoscaler over simulated time: every sync it runs the replica calculation
 * ({@link #sync}: the {@code hpa-replicas} semantics) and then the behavior ({@code hpa-decide}: stabilization over
 * the recommendations it has recorded, policies over the scale events it has recorded, min/max), and remembers both
 * for the next sync, as the controller does.
 *
 * <p>CONTRACT for the simulator engine (implemented by the decision work; the signatures are fixed).
 */
public final class HpaController {

    private HpaController() {
    }

    /**
     * Reads an {@code autoscaling/v2} HorizontalPodAutoscaler {@code spec} (minReplicas, maxReplicas, metrics,
     * behavior) with the Kubernetes defaults for what is missing.
     *
     * @param spec      the {@code spec} node
     * @param file      the file it came from, for error messages
     * @param fieldPath the path of {@code spec} in that file, for error messages (for example {@code "spec"})
     * @param tolerance the controller's tolerance (0.1 by default)
     * @return the controller
     * @throws dev.llmautoscale.simulator.config.ConfigException naming the file and field of a bad value
     */
    public static HpaController fromSpec(JsonNode spec, String file, String fieldPath, double tolerance) {
        throw new UnsupportedOperationException("contract placeholder: implemented on the sim-decide branch");
    }

    /** @return the HPA's metrics, as parsed (type, name, target, selector) */
    public List<MetricSpec> metrics() {
        throw new UnsupportedOperationException("contract placeholder");
    }

    /** @return spec.minReplicas (default 1) */
    public int minReplicas() {
        throw new UnsupportedOperationException("contract placeholder");
    }

    /** @return spec.maxReplicas */
    public int maxReplicas() {
        throw new UnsupportedOperationException("contract placeholder");
    }

    /**
     * One controller sync.
     *
     * @param now             seconds of simulated time
     * @param currentReplicas the scale target's spec.replicas
     * @param pods            every pod the selector matches
     * @param values          Object / External metric values by metric name; a name absent is a failing metric
     * @return the new spec.replicas and why
     */
    public SyncResult sync(double now, int currentReplicas, List<HpaPod> pods, Map<String, Double> values) {
        throw new UnsupportedOperationException("contract placeholder");
    }

    /**
     * One parsed entry of spec.metrics.
     *
     * @param type       Resource, Pods, Object or External
     * @param name       resource name or metric name
     * @param targetType Utilization, AverageValue or Value
     * @param target     the target in base units (a percent for Utilization)
     * @param selector   the metric's label selector (matchLabels), empty when absent
     */
    public record MetricSpec(String type, String name, String targetType, double target, Map<String, String> selector) {
    }

    /**
     * The outcome of one sync.
     *
     * @param recommendation the raw recommendation from the metrics (hpa-replicas), before behavior
     * @param replicas       the new spec.replicas after behavior and min/max (hpa-decide)
     * @param reason         DesiredWithinRange, ScaleUpStabilized, ScaleDownStabilized, ScaleUpLimit, ScaleDownLimit,
     *                       TooFewReplicas or TooManyReplicas
     */
    public record SyncResult(int recommendation, int replicas, String reason) {
    }
}
