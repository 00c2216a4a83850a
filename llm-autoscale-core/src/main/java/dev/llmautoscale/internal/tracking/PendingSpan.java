package dev.llmautoscale.internal.tracking;

import dev.llmautoscale.admission.AdmissionRejectedException;
import dev.llmautoscale.internal.admission.QueueEntry;
import dev.llmautoscale.internal.admission.Waiter;
import dev.llmautoscale.internal.metrics.ModelMetrics;
import dev.llmautoscale.tracking.InferenceSpan;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A request waiting in the admission queue, seen by its caller as the future of its span.
 *
 * <p>Exactly one outcome is decided, by one compare-and-set, and counted before the future completes (so a caller
 * that wakes up reads counters that already include it): admitted (the span then counts the rest), refused
 * ({@code rejected} by reason), or the caller went away ({@code cancelled}: {@link #cancel}, or completing the future
 * from outside, as {@code orTimeout} does). When the caller goes away at the moment the request is admitted,
 * {@link #admitted} loses the decision and the controller takes the slot back; a cancel that loses it returns
 * {@code false} and the future completes with the admission an instant later.
 */
final class PendingSpan extends CompletableFuture<InferenceSpan> implements Waiter {

    private static final VarHandle DECIDED;

    static {
        try {
            DECIDED = MethodHandles.lookup().findVarHandle(PendingSpan.class, "decided", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final DefaultInferenceTracker tracker;
    private final ModelMetrics model;
    private final long startNanos;
    final QueueEntry entry;
    /** True while the caller's own {@code enqueue} runs: an admission then is "at once" and needs the drain check. */
    volatile boolean enqueuing;
    @SuppressWarnings("unused") // through DECIDED
    private volatile boolean decided;

    PendingSpan(DefaultInferenceTracker tracker, ModelMetrics model, long startNanos) {
        this.tracker = tracker;
        this.model = model;
        this.startNanos = startNanos;
        this.entry = new QueueEntry(model.lane(), this);
    }

    private boolean decide() {
        return DECIDED.compareAndSet(this, false, true);
    }

    @Override
    public boolean admitted(long waitedNanos) {
        if (!decide()) {
            return false;
        }
        if (enqueuing && !tracker.acceptingWork()) {
            // A drain began between the caller's check and its admission and may have seen no in-flight work.
            tracker.release(model);
            AdmissionRejectedException refusal = tracker.drainingRefusal(model);
            model.rejected(refusal.reason());
            super.completeExceptionally(refusal);
            return true;
        }
        model.queueTime(waitedNanos);
        super.complete(new TrackedSpan(tracker, model, startNanos));
        return true;
    }

    @Override
    public void refused(AdmissionRejectedException refusal) {
        refuse(refusal);
    }

    void refuse(AdmissionRejectedException refusal) {
        if (decide()) {
            model.rejected(refusal.reason());
            super.completeExceptionally(refusal);
        }
    }

    /** The caller went away: leave the queue (if still in it) and count {@code cancelled}, once. */
    private boolean callerGone() {
        if (!decide()) {
            return false;
        }
        tracker.abandon(entry);
        model.abandoned();
        return true;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return callerGone() && super.cancel(mayInterruptIfRunning);
    }

    @Override
    public boolean complete(@Nullable InferenceSpan value) {
        return callerGone() && super.complete(value);
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        return callerGone() && super.completeExceptionally(ex);
    }
}
