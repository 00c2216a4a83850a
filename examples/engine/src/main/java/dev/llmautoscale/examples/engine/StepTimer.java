package dev.llmautoscale.examples.engine;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * How the {@link SimulatedEngine} spends the time of one step. {@link #REAL} waits for real, as the example servers
 * need; tests substitute a virtual clock so that timings are asserted exactly instead of against the wall clock.
 */
@FunctionalInterface
public interface StepTimer {

    /** Waits the step's duration for real, returning early when the engine stops. */
    StepTimer REAL = (model, batch, nanos, stopped) -> {
        long deadline = System.nanoTime() + nanos;
        long left;
        while ((left = deadline - System.nanoTime()) > 0 && !stopped.getAsBoolean()) {
            LockSupport.parkNanos(left);
        }
    };

    /**
     * Spends one step; called on the model's scheduler thread.
     *
     * @param model the model whose scheduler runs the step
     * @param batch sequences in the batch during the step
     * @param nanos the step's simulated duration ({@link EngineConfig#stepNanos(int, long)})
     * @param stopped true once the engine shuts down: return early
     */
    void spend(String model, int batch, long nanos, BooleanSupplier stopped);
}
