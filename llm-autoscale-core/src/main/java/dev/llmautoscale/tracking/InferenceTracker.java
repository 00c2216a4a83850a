package dev.llmautoscale.tracking;

import dev.llmautoscale.admission.AdmissionController;
import dev.llmautoscale.admission.AdmissionRejectedException;
import dev.llmautoscale.admission.RejectionReason;
import dev.llmautoscale.lifecycle.InferenceLifecycle;
import dev.llmautoscale.metrics.InferenceMetrics;
import dev.llmautoscale.metrics.ModelMetrics;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Tracks inferences: the programmatic entry point of the library.
 *
 * <p>{@link #start(String)} admits a request (waiting in the queue when admission control is on), counts it as
 * running at once, and returns an {@link InferenceSpan} that records the outcome, time to first token and token
 * counts. The wrappers ({@link #call}, {@link #supply}, {@link #run}, {@link #trackAsync}) do the same around a piece
 * of work. The per-request path takes no locks and, once a model has been seen, allocates only the span.
 */
public final class InferenceTracker {

    private final InferenceMetrics metrics;
    private final AdmissionController admission;
    private final InferenceLifecycle lifecycle;
    /** Per thread, the last span it started: reused once closed, so steady-state tracking allocates nothing. */
    private final ThreadLocal<InferenceSpan[]> spans = ThreadLocal.withInitial(() -> new InferenceSpan[1]);

    /**
     * Usually obtained from {@code LlmAutoscale#tracker()}.
     *
     * @param metrics the meters
     * @param admission admission control
     * @param lifecycle the lifecycle, which refuses work while draining
     */
    public InferenceTracker(InferenceMetrics metrics, AdmissionController admission, InferenceLifecycle lifecycle) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.admission = Objects.requireNonNull(admission, "admission");
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
    }

    /**
     * Starts tracking one inference. Blocks while the request waits for admission.
     *
     * @param model the model name (through the cardinality guard); {@code null} means {@code default}
     * @return the span; end it with {@link InferenceSpan#success()} and close it (try-with-resources)
     * @throws AdmissionRejectedException when refused (overload or draining); already counted as rejected
     * @throws CancellationException when interrupted while queued; already counted as cancelled
     */
    public InferenceSpan start(String model) {
        long start = System.nanoTime();
        ModelMetrics m = metrics.model(model);
        if (!lifecycle.isAcceptingWork()) {
            throw admission.reject(m, RejectionReason.DRAINING);
        }
        long waited = admission.acquire(m);
        if (waited == 0 && !lifecycle.isAcceptingWork()) {
            // A drain began between the check above and admission and may already have seen zero in-flight work.
            m.unstarted();
            admission.release(m);
            throw admission.reject(m, RejectionReason.DRAINING);
        }
        m.queueTime(waited);
        InferenceSpan[] slot = spans.get();
        InferenceSpan cached = slot[0];
        if (cached != null && cached.reopen(m, start)) {
            return cached;
        }
        InferenceSpan span = new InferenceSpan(this, m, start);
        slot[0] = span;
        return span;
    }

    void released(ModelMetrics m) {
        admission.release(m);
    }

    /**
     * Runs work as one inference: {@code success} when it returns, {@code cancelled} on a
     * {@link CancellationException} or an interrupt, {@code error} otherwise.
     *
     * @param model the model name
     * @param work the inference
     * @param <T> the result type
     * @return the work's result
     * @throws Exception what the work threw, or the admission refusal
     */
    public <T> T call(String model, Callable<T> work) throws Exception {
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

    /**
     * Like {@link #call} for work that throws no checked exception.
     *
     * @param model the model name
     * @param work the inference
     * @param <T> the result type
     * @return the work's result
     */
    public <T> T supply(String model, Supplier<T> work) {
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

    /**
     * Like {@link #call} for work without a result.
     *
     * @param model the model name
     * @param work the inference
     */
    public void run(String model, Runnable work) {
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

    /**
     * Tracks asynchronous work until its stage completes: {@code success}, {@code error}, or {@code cancelled} when
     * the stage was cancelled. The stage returned is the one the work returned, so cancelling it still reaches the
     * work. Admission happens before the work is started, on the calling thread.
     *
     * @param model the model name
     * @param work starts the inference and returns its stage
     * @param <T> the result type
     * @param <S> the stage type
     * @return the work's stage
     */
    public <T, S extends CompletionStage<T>> S trackAsync(String model, Supplier<S> work) {
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

    /**
     * Decorates a {@link Callable} so that every call is tracked.
     *
     * @param model the model name
     * @param work the inference
     * @param <T> the result type
     * @return the tracked callable
     */
    public <T> Callable<T> wrapCallable(String model, Callable<T> work) {
        Objects.requireNonNull(work, "work");
        return () -> call(model, work);
    }

    /**
     * Decorates a {@link Supplier} so that every call is tracked.
     *
     * @param model the model name
     * @param work the inference
     * @param <T> the result type
     * @return the tracked supplier
     */
    public <T> Supplier<T> wrapSupplier(String model, Supplier<T> work) {
        Objects.requireNonNull(work, "work");
        return () -> supply(model, work);
    }

    /**
     * Decorates a {@link Runnable} so that every run is tracked.
     *
     * @param model the model name
     * @param work the inference
     * @return the tracked runnable
     */
    public Runnable wrapRunnable(String model, Runnable work) {
        Objects.requireNonNull(work, "work");
        return () -> run(model, work);
    }

    /**
     * Sets the KV-cache utilization of a model, as the host server measures it.
     *
     * @param model the model name
     * @param ratio 0 to 1
     */
    public void kvCacheUtilization(String model, double ratio) {
        metrics.model(model).kvCacheUtilization(ratio);
    }

    /**
     * @return requests running now, over all models
     */
    public int activeRequests() {
        return metrics.running();
    }

    /**
     * @return requests waiting for admission now, over all models
     */
    public int queuedRequests() {
        return metrics.queued();
    }

    /**
     * @return the meters
     */
    public InferenceMetrics metrics() {
        return metrics;
    }
}
