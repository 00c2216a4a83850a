package dev.llmautoscale.internal.admission;

import dev.llmautoscale.admission.AdmissionRejectedException;

/**
 * Who is told the outcome of a queued admission. Both methods are called once at most, outside the controller's
 * lock, on the thread that decided (the one that freed the slot, the timeout thread, or the caller itself).
 */
public interface Waiter {

    /**
     * The request was admitted: it holds its slots and is counted as running.
     *
     * @param waitedNanos how long it waited
     * @return {@code false} when the caller went away meanwhile; the controller then gives the slots back
     */
    boolean admitted(long waitedNanos);

    /**
     * The request was refused: the queue was full, the wait timed out, or the controller was closed.
     *
     * @param refusal the exception for the caller
     */
    void refused(AdmissionRejectedException refusal);
}
