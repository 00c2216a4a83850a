package dev.llmautoscale.simulator.workload;

import dev.llmautoscale.simulator.model.Request;

/** The arrivals offered to the fleet, in time order. */
public interface Workload {

    /**
     * @param until exclusive time bound
     * @return the next request arriving before {@code until}, or null (then call again with a later bound)
     */
    Request next(double until);

    /** @return how long the workload lasts, seconds */
    double durationSeconds();

    /** @return when the spike starts (for the reaction time), or NaN when the workload has no spike */
    double spikeStartSeconds();

    /** @return a one-line description for reports */
    String describe();
}
