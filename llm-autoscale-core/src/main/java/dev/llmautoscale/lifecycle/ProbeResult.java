package dev.llmautoscale.lifecycle;

import java.util.List;
import java.util.Objects;

/**
 * The answer to a liveness or readiness query.
 *
 * @param ok whether the probe passes
 * @param state the lifecycle state at the time of the query
 * @param reasons why the probe fails (empty when it passes)
 */
public record ProbeResult(boolean ok, LifecycleState state, List<String> reasons) {

    /**
     * Validates and copies the arguments.
     *
     * @param ok whether the probe passes
     * @param state the lifecycle state at the time of the query
     * @param reasons why the probe fails (empty when it passes)
     */
    public ProbeResult {
        Objects.requireNonNull(state, "state");
        reasons = List.copyOf(reasons);
    }
}
