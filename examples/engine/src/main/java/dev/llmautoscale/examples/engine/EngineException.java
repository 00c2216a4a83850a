package dev.llmautoscale.examples.engine;

/** A generation that the engine could not complete (the engine was closed under it). */
public final class EngineException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened
     */
    public EngineException(String message) {
        super(message);
    }
}
