package dev.llmautoscale.internal.tracking;

import dev.llmautoscale.admission.AdmissionRejectedException;
import dev.llmautoscale.admission.RejectionReason;
import dev.llmautoscale.internal.admission.AdmissionController;
import dev.llmautoscale.internal.admission.QueueEntry;
import dev.llmautoscale.internal.metrics.InferenceMetrics;
import dev.llmautoscale.internal.metrics.ModelMetrics;
import dev.llmautoscale.lifecycle.InferenceLifecycle;
import dev.llmautoscale.tracking.InferenceSpan;
import dev.llmautoscale.tracking.InferenceTracker;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The tracker: joins the cardinality guard, the lifecycle's drain gate, admission and the meters. Internal: use
 * {@code LlmAutoscale#tracker()}.
 *
 * <p>The path of a request that finds a free slot: one map lookup (the model's meters), one volatile read (draining?),
 * two compare-and-sets (the global and the model slot), one allocation (the span). A request that must wait gets a
 * {@link PendingSpan} in the admission queue; {@link #start} then waits on it, {@link #startAsync} returns it.
 */
public final class DefaultInferenceTracker implements InferenceTracker {

    private final InferenceMetrics metrics;
    private final AdmissionController admission;
    private final InferenceLifecycle lifecycle;

    /**
     * @param metrics the meters
     * @param admission admission control
     * @param lifecycle the lifecycle, which refuses work while draining
     */
    public DefaultInferenceTracker(InferenceMetrics metrics, AdmissionController admission,
            InferenceLifecycle lifecycle) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.admission = Objects.requireNonNull(admission, "admission");
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
    }

    @Override
    public InferenceSpan start(@Nullable String model) {
        long start = System.nanoTime();
        ModelMetrics m = metrics.model(model);
        if (!lifecycle.isAcceptingWork()) {
            throw countedRefusal(m);
        }
        if (admission.tryAcquire(m.lane())) {
            return admittedNow(m, start);
        }
        return await(enqueue(m, start));
    }

    @Override
    public CompletableFuture<InferenceSpan> startAsync(@Nullable String model) {
        long start = System.nanoTime();
        ModelMetrics m = metrics.model(model);
        if (!lifecycle.isAcceptingWork()) {
            return CompletableFuture.failedFuture(countedRefusal(m));
        }
        if (admission.tryAcquire(m.lane())) {
            try {
                return CompletableFuture.completedFuture(admittedNow(m, start));
            } catch (AdmissionRejectedException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return enqueue(m, start);
    }

    private InferenceSpan admittedNow(ModelMetrics m, long start) {
        if (!lifecycle.isAcceptingWork()) {
            // A drain began between the check above and admission and may already have seen zero in-flight work.
            admission.release(m.lane());
            throw countedRefusal(m);
        }
        m.queueTime(0);
        return new TrackedSpan(this, m, start);
    }

    private PendingSpan enqueue(ModelMetrics m, long start) {
        PendingSpan pending = new PendingSpan(this, m, start);
        pending.enqueuing = true;
        admission.enqueue(pending.entry);
        pending.enqueuing = false;
        if (!pending.isDone() && !lifecycle.isAcceptingWork() && admission.abandon(pending.entry)) {
            // queued after a drain began: the drain may not have seen it
            pending.refuse(drainingRefusal(m));
        }
        return pending;
    }

    private static InferenceSpan await(PendingSpan pending) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return pending.get();
                } catch (InterruptedException e) {
                    if (pending.cancel(false)) {
                        interrupted = true;
                        throw new CancellationException("interrupted while waiting for admission (model '"
                                + pending.entry.laneLabel() + "')");
                    }
                    interrupted = true; // admitted or refused meanwhile: take that outcome
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException) {
                        throw (RuntimeException) cause;
                    }
                    throw new IllegalStateException("admission failed", cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private AdmissionRejectedException countedRefusal(ModelMetrics m) {
        AdmissionRejectedException e = drainingRefusal(m);
        m.rejected(RejectionReason.DRAINING);
        return e;
    }

    AdmissionRejectedException drainingRefusal(ModelMetrics m) {
        return admission.draining(m.label());
    }

    boolean acceptingWork() {
        return lifecycle.isAcceptingWork();
    }

    void release(ModelMetrics m) {
        admission.release(m.lane());
    }

    void abandon(QueueEntry entry) {
        admission.abandon(entry);
    }

    @Override
    public <T> T call(@Nullable String model, Callable<T> work) throws Exception {
        InferenceSpan span = start(model);
        try {
            T result = work.call();
            span.success();
            return result;
        } catch (Throwable t) {
            span.failure(t);
            throw t;
        } finally {
            span.close();
        }
    }

    @Override
    public <T> T supply(@Nullable String model, Supplier<T> work) {
        InferenceSpan span = start(model);
        try {
            T result = work.get();
            span.success();
            return result;
        } catch (Throwable t) {
            span.failure(t);
            throw t;
        } finally {
            span.close();
        }
    }

    @Override
    public void run(@Nullable String model, Runnable work) {
        InferenceSpan span = start(model);
        try {
            work.run();
            span.success();
        } catch (Throwable t) {
            span.failure(t);
            throw t;
        } finally {
            span.close();
        }
    }

    @Override
    public <T, S extends CompletionStage<T>> S trackAsync(@Nullable String model, Supplier<S> work) {
        InferenceSpan span = start(model);
        S stage;
        try {
            stage = work.get();
        } catch (Throwable t) {
            span.failure(t);
            span.close();
            throw t;
        }
        if (stage == null) {
            span.close();
            throw new NullPointerException("asynchronous inference for model '" + span.model() + "' returned null");
        }
        stage.whenComplete((result, failure) -> {
            if (failure == null) {
                span.success();
            } else {
                span.failure(failure);
            }
            span.close();
        });
        return stage;
    }

    @Override
    public <T> Callable<T> wrapCallable(@Nullable String model, Callable<T> work) {
        Objects.requireNonNull(work, "work");
        return () -> call(model, work);
    }

    @Override
    public <T> Supplier<T> wrapSupplier(@Nullable String model, Supplier<T> work) {
        Objects.requireNonNull(work, "work");
        return () -> supply(model, work);
    }

    @Override
    public Runnable wrapRunnable(@Nullable String model, Runnable work) {
        Objects.requireNonNull(work, "work");
        return () -> run(model, work);
    }

    @Override
    public <T> T proxy(Class<T> type, T target) {
        return TrackingProxy.wrap(type, target, this);
    }

    @Override
    public void kvCacheUtilization(@Nullable String model, double ratio) {
        metrics.model(model).kvCacheUtilization(ratio);
    }
}
