package dev.llmautoscale.examples.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A virtual clock for the engine: records every step (batch size, simulated duration) and spends no real time.
 * Closed, it holds each step until the test lets it pass, so the test can look at the engine between steps.
 */
final class VirtualSteps implements StepTimer {

    record Step(int batch, long nanos) {
    }

    final List<Step> steps = new CopyOnWriteArrayList<>();
    private final Semaphore permits = new Semaphore(0);
    private final AtomicInteger blocked = new AtomicInteger();
    private volatile boolean open = true;

    @Override
    public void spend(String model, int batch, long nanos, BooleanSupplier stopped) {
        steps.add(new Step(batch, nanos));
        if (open) {
            return;
        }
        blocked.incrementAndGet();
        try {
            while (!open && !stopped.getAsBoolean() && !permits.tryAcquire(10, TimeUnit.MILLISECONDS)) {
                // held by the test
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            blocked.decrementAndGet();
        }
    }

    /** Holds every following step until {@link #open()}. */
    void close() {
        open = false;
    }

    /** Lets every step pass from now on. */
    void open() {
        open = true;
        permits.release(Integer.MAX_VALUE / 2);
    }

    /** Waits until the scheduler is held inside a step (the batch of that step is fixed). */
    void awaitHeld() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (blocked.get() == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the engine never started a step");
            }
            Thread.sleep(1);
        }
    }

    long totalNanos() {
        return steps.stream().mapToLong(Step::nanos).sum();
    }
}
