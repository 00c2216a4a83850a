package dev.llmautoscale.metrics;

import dev.llmautoscale.lifecycle.LifecycleState;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The load of the server at one moment: the figures autoscaling reads, in one immutable value. It is the single
 * source of {@code /active_requests}, {@code /autoscaling}, the Actuator {@code inference} endpoint and the drain;
 * the gauges read the same per-model counts it is built from.
 *
 * <p>Totals are the sums of the per-model rows of the same snapshot. Each model's queued count is read before its
 * running count, so a request that is admitted while the snapshot is taken is counted once or twice, never zero
 * times: a drain never sees a false zero.
 *
 * @param state the lifecycle state
 * @param queued requests waiting for admission, all models
 * @param running requests admitted and running, all models
 * @param capacity the global concurrency limit, 0 when unlimited (or when admission control is off and no
 *     capacity was set)
 * @param capacityUtilization {@code running / capacity}, 0 to 1, or NaN without a capacity
 * @param kvCacheUtilization the highest KV-cache utilization reported by any model, 0 to 1, or NaN when none
 *     reported one
 * @param models one row per model label value, in order of first use
 */
public record LoadSnapshot(LifecycleState state, int queued, int running, int capacity, double capacityUtilization,
        double kvCacheUtilization, List<ModelLoad> models) {

    /** Validates and copies the arguments. */
    public LoadSnapshot {
        Objects.requireNonNull(state, "state");
        models = List.copyOf(models);
    }

    /**
     * @return queued plus running: what a pre-stop hook waits for
     */
    public int inFlight() {
        return queued + running;
    }

    /**
     * @param model a model label value (as reported: {@code other} and {@code default} included)
     * @return its row, or empty when no request of that label value was seen
     */
    public Optional<ModelLoad> model(String model) {
        for (ModelLoad m : models) {
            if (m.model().equals(model)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /**
     * The load of one model label value.
     *
     * @param model the label value
     * @param queued its requests waiting for admission
     * @param running its requests admitted and running
     * @param capacity the concurrency limit that applies to it (its own, else the global one), 0 when unlimited
     * @param capacityUtilization {@code running / capacity}, 0 to 1, or NaN without a capacity
     * @param kvCacheUtilization the KV-cache utilization the host server last reported for it, or NaN
     */
    public record ModelLoad(String model, int queued, int running, int capacity, double capacityUtilization,
            double kvCacheUtilization) {

        /** Validates the arguments. */
        public ModelLoad {
            Objects.requireNonNull(model, "model");
        }
    }
}
