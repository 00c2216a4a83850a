package dev.llmautoscale.simulator.promql;

/** A PromQL expression the simulator cannot parse or does not support; the message says what and where. */
public final class PromqlException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, with the position in the query */
    public PromqlException(String message) {
        super(message);
    }
}
