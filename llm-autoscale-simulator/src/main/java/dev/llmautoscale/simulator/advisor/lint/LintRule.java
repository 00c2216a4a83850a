package dev.llmautoscale.simulator.advisor.lint;

/**
 * The rules of {@code lint}, each documented in {@code docs/SIMULATOR.md} (section "lint rules") with the incident it
 * prevents.
 */
public enum LintRule {
    /** A metric or series the library does not export, or that no prometheus-adapter rule serves. */
    METRIC_NOT_EXPORTED("metric-not-exported"),
    /** A label matcher on a label the family does not have: the selector matches nothing. */
    UNKNOWN_LABEL("unknown-label"),
    /** A queue-depth target the per-pod queue can never exceed (at or above the admission queue capacity). */
    QUEUE_TARGET_UNREACHABLE("queue-target-unreachable"),
    /** A percent-scale target (such as 80) on a 0-1 ratio: never reached. */
    PERCENT_TARGET_ON_RATIO("percent-target-on-ratio"),
    /** A target outside the range of its metric: never reached, or always exceeded. */
    TARGET_OUT_OF_RANGE("target-out-of-range"),
    /** A resource target that a loaded, idle replica already exceeds: the fleet is pinned at the maximum. */
    TARGET_ALWAYS_EXCEEDED("target-always-exceeded"),
    /** minReplicaCount 0 whose triggers read only series that the scaled pods emit: zero stays zero. */
    SCALE_FROM_ZERO_NEVER_ACTIVATES("scale-from-zero-never-activates"),
    /** terminationGracePeriodSeconds shorter than preStop + pre-drain delay + drain timeout. */
    GRACE_PERIOD_TOO_SHORT("grace-period-too-short"),
    /** A preStop hook that takes the whole grace period (the guide's sleep 30 with the default 30 s). */
    PRESTOP_TAKES_GRACE_PERIOD("prestop-takes-grace-period"),
    /** Neither the scale-up stabilization window nor the policy period covers the cold start. */
    SCALE_UP_FASTER_THAN_COLD_START("scale-up-faster-than-cold-start"),
    /** A scale-down stabilization window shorter than the cold start. */
    SCALE_DOWN_WINDOW_SHORTER_THAN_COLD_START("scale-down-window-shorter-than-cold-start"),
    /** A startup or liveness probe that restarts the container before the model is loaded. */
    PROBE_RESTARTS_LOADING_POD("probe-restarts-loading-pod"),
    /** A readiness probe on a path that answers before the model is loaded (the same path as liveness). */
    READY_BEFORE_LOADED("ready-before-loaded"),
    /** maxReplicas above what the GPU node pool can place. */
    MAX_REPLICAS_ABOVE_NODE_POOL("max-replicas-above-node-pool");

    private final String id;

    LintRule(String id) {
        this.id = id;
    }

    /** @return the id printed in findings */
    public String id() {
        return id;
    }
}
