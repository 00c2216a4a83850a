package dev.llmautoscale.internal.admission;

import dev.llmautoscale.admission.RejectionReason;

/**
 * A refusal as the controller decided it, with the occupancy its decision was based on (read under the queue's
 * lock, after every waiter that could run was admitted).
 *
 * @param model the model label value
 * @param reason why
 * @param globalTaken global slots taken at the decision
 * @param globalLimit the global limit, 0 when unlimited
 * @param modelRunning the model's running requests at the decision
 * @param modelLimit the model's own limit, 0 when none
 * @param queued requests waiting (all models) at the decision, the refused one not included
 * @param queueCapacity the queue's capacity
 */
public record Refusal(String model, RejectionReason reason, int globalTaken, int globalLimit, int modelRunning,
        int modelLimit, int queued, int queueCapacity) {

    /**
     * @return whether the global limit was reached
     */
    public boolean globalFull() {
        return globalLimit > 0 && globalTaken >= globalLimit;
    }

    /**
     * @return whether the model's own limit was reached
     */
    public boolean modelFull() {
        return modelLimit > 0 && modelRunning >= modelLimit;
    }
}
