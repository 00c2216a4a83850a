package dev.llmautoscale.admission;

import dev.llmautoscale.metrics.ModelMetrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission control: at most {@link AdmissionLimits#maxConcurrency()} inferences run at once (optionally fewer per
 * model); the rest wait in a bounded FIFO queue for at most {@link AdmissionLimits#maxQueueWait()}.
 *
 * <p>A free slot is taken with one compare-and-set and no allocation; only a request that must wait parks. Waiting
 * requests are the queue depth: the model's waiting gauge rises when a request starts to wait and falls when it is
 * admitted, refused, or abandoned. A caller interrupted while waiting leaves nothing behind: no permit, no queue
 * entry, and the request is counted as {@code cancelled}.
 */
public final class AdmissionController {

    private final AdmissionLimits limits;
    private final Semaphore global;
    private final Map<String, Semaphore> perModel;
    private final AtomicInteger queued = new AtomicInteger();
    private final long maxWaitNanos;

    /**
     * @param limits the settings
     */
    public AdmissionController(AdmissionLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.global = limits.enabled() && limits.maxConcurrency() > 0
                ? new Semaphore(limits.maxConcurrency(), true) : null;
        Map<String, Semaphore> models = new HashMap<>();
        if (limits.enabled()) {
            limits.perModelMaxConcurrency().forEach((model, limit) -> models.put(model, new Semaphore(limit, true)));
        }
        this.perModel = Map.copyOf(models);
        this.maxWaitNanos = limits.maxQueueWait().toNanos();
    }

    /**
     * Waits for a slot for a request of the given model.
     *
     * @param model the request's model meters
     * <p>On success the request is already counted as running ({@link ModelMetrics#started()}), before it leaves
     * the queue, so a drain never sees a moment where an admitted request is neither queued nor running.
     *
     * @return how long the request waited, in nanoseconds (0 when a slot was free)
     * @throws AdmissionRejectedException when the queue is full or the wait exceeded the maximum; the request has
     *     been counted as rejected
     * @throws CancellationException when the thread was interrupted while waiting (the interrupt flag is restored);
     *     the request has been counted as cancelled
     */
    public long acquire(ModelMetrics model) {
        if (!limits.enabled()) {
            model.started();
            return 0;
        }
        Semaphore modelPermits = perModel.isEmpty() ? null : perModel.get(model.label());
        if (queued.get() == 0 && tryTake(modelPermits)) {
            model.started();
            return 0;
        }
        return await(model, modelPermits);
    }

    private boolean tryTake(Semaphore modelPermits) {
        if (modelPermits != null && !modelPermits.tryAcquire()) {
            return false;
        }
        if (global != null && !global.tryAcquire()) {
            if (modelPermits != null) {
                modelPermits.release();
            }
            return false;
        }
        return true;
    }

    private long await(ModelMetrics model, Semaphore modelPermits) {
        long start = System.nanoTime();
        if (queued.incrementAndGet() > limits.queueCapacity()) {
            queued.decrementAndGet();
            throw reject(model, RejectionReason.QUEUE_FULL);
        }
        model.queued();
        boolean heldModel = false;
        try {
            if (modelPermits != null) {
                heldModel = modelPermits.tryAcquire(remaining(start), TimeUnit.NANOSECONDS);
                if (!heldModel) {
                    throw reject(model, RejectionReason.QUEUE_TIMEOUT);
                }
            }
            if (global != null && !global.tryAcquire(remaining(start), TimeUnit.NANOSECONDS)) {
                if (heldModel) {
                    modelPermits.release();
                }
                throw reject(model, RejectionReason.QUEUE_TIMEOUT);
            }
            model.started();
            return Math.max(0, System.nanoTime() - start);
        } catch (InterruptedException e) {
            if (heldModel) {
                modelPermits.release();
            }
            Thread.currentThread().interrupt();
            model.abandoned();
            throw new CancellationException("interrupted while waiting for admission (model '" + model.label() + "')");
        } finally {
            queued.decrementAndGet();
            model.dequeued();
        }
    }

    private long remaining(long start) {
        return maxWaitNanos - (System.nanoTime() - start);
    }

    /**
     * Returns the slot of a request that was admitted by {@link #acquire(ModelMetrics)}.
     *
     * @param model the request's model meters
     */
    public void release(ModelMetrics model) {
        if (!limits.enabled()) {
            return;
        }
        if (global != null) {
            global.release();
        }
        if (!perModel.isEmpty()) {
            Semaphore modelPermits = perModel.get(model.label());
            if (modelPermits != null) {
                modelPermits.release();
            }
        }
    }

    /**
     * Counts a refusal and builds its exception.
     *
     * @param model the request's model meters
     * @param reason why
     * @return the exception to throw
     */
    public AdmissionRejectedException reject(ModelMetrics model, RejectionReason reason) {
        model.rejected(reason);
        Duration hint = reason == RejectionReason.DRAINING ? limits.drainRetryAfter() : limits.retryAfter();
        String why;
        switch (reason) {
            case QUEUE_FULL:
                why = "all " + describeLimit(model) + " concurrency slots are busy and the wait queue ("
                        + limits.queueCapacity() + ") is full";
                break;
            case QUEUE_TIMEOUT:
                why = "no concurrency slot became free within " + limits.maxQueueWait().toMillis() + " ms";
                break;
            default:
                why = "the server is draining and takes no new requests";
                break;
        }
        return new AdmissionRejectedException(reason, model.label(), hint,
                "Inference request for model '" + model.label() + "' rejected: " + why + "; retry after "
                        + Math.max(1, (hint.toMillis() + 999) / 1000) + " s");
    }

    private String describeLimit(ModelMetrics model) {
        int limit = limits.limitFor(model.label());
        return limit > 0 ? Integer.toString(limit) : "available";
    }

    /**
     * @return requests waiting for a slot now
     */
    public int queued() {
        return queued.get();
    }

    /**
     * @return the settings
     */
    public AdmissionLimits limits() {
        return limits;
    }
}
