package dev.llmautoscale.examples.loadgen;

/**
 * One planned request.
 *
 * @param offsetNanos when to send it, from the start of the run
 * @param promptTokens prompt tokens to send
 * @param maxTokens output tokens to ask for
 */
public record Arrival(long offsetNanos, int promptTokens, int maxTokens) {

    /** Validates the arguments. */
    public Arrival {
        if (offsetNanos < 0) {
            throw new IllegalArgumentException("arrival offset must be >= 0, got " + offsetNanos);
        }
        if (promptTokens < 1 || maxTokens < 1) {
            throw new IllegalArgumentException("prompt and max tokens must be >= 1, got " + promptTokens + " and "
                    + maxTokens);
        }
    }
}
