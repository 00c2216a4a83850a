package dev.llmautoscale.simulator.model;

/** Receives every request when its outcome is known. */
@FunctionalInterface
public interface RequestSink {

    /** @param r a request whose {@link Request#outcome()} is no longer {@link Request#PENDING} */
    void finished(Request r);
}
