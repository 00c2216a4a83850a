package dev.llmautoscale.lifecycle;

import java.util.Locale;

/** The states of an inference server, in the only order they are entered: a server never goes back to READY. */
public enum LifecycleState {
    /** Created; warm-up has not run, or failed and waits for a retry. Not ready. */
    STARTING,
    /** Warm-up hooks (model load, first inference) are running. Not ready. */
    WARMING_UP,
    /** Serving traffic. The only ready state. */
    READY,
    /** Shutting down: first a pre-drain delay that still serves, then new work is refused while in-flight work ends. */
    DRAINING,
    /** Stopped; liveness fails. */
    STOPPED;

    private final String label = name().toLowerCase(Locale.ROOT);

    /**
     * @return the lower-case name used in metrics and JSON
     */
    public String label() {
        return label;
    }
}
