package dev.llmautoscale.lifecycle;

/**
 * One step of warm-up: load a model, compile kernels, run a first inference. Hooks run in registration order, each on
 * a warm-up thread with its own timeout; the server becomes ready only when all have succeeded.
 */
@FunctionalInterface
public interface WarmupHook {

    /**
     * Runs the step. Should honour interruption: a hook past its timeout is interrupted.
     *
     * @throws Exception any failure; it keeps the server unready and is logged with its cause
     */
    void warmUp() throws Exception;
}
