package dev.llmautoscale.tracking;

import dev.llmautoscale.admission.AdmissionRejectedException;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Tracks inferences: the programmatic entry point of the library, obtained from {@code LlmAutoscale#tracker()}.
 *
 * <p>{@link #start(String)} admits a request (waiting in the queue when admission control is on), counts it as
 * running at once, and returns an {@link InferenceSpan} that records the outcome, time to first token and token
 * counts. {@link #startAsync(String)} does the same without holding a thread while the request waits. The wrappers
 * ({@link #call}, {@link #supply}, {@link #run}, {@link #trackAsync}) do the same around a piece of work. The
 * per-request path takes no lock and, once a model has been seen, allocates only the span.
 *
 * <p>Not meant to be implemented outside this library.
 */
public interface InferenceTracker {

    /**
     * Starts tracking one inference. Blocks while the request waits for admission.
     *
     * @param model the model name (through the cardinality guard); {@code null} means {@code default}
     * @return the span; end it with {@link InferenceSpan#success()} and close it (try-with-resources)
     * @throws AdmissionRejectedException when refused (overload or draining); already counted as rejected
     * @throws CancellationException when interrupted while queued (the interrupt flag is restored); already
     *     counted as cancelled
     */
    InferenceSpan start(@Nullable String model);

    /**
     * Starts tracking one inference without blocking: no thread is held while the request waits for admission.
     *
     * <p>The future completes with the span when the request is admitted (at once when a slot is free), or
     * exceptionally with an {@link AdmissionRejectedException} (queue full, queue timeout, draining; counted as
     * rejected). Cancelling it ({@code cancel}, or completing it yourself) while the request waits takes it out of the
     * queue and counts it as {@code cancelled}; if it was admitted at the same moment, the slot is given back. So the
     * caller never has to clean up a future it gave up on. Continuations run on the thread that admitted the request
     * (the one that freed the slot, or the shared timeout thread for a refusal): hand slow work to your own
     * executor ({@code thenAcceptAsync(..., executor)}).
     *
     * @param model the model name (through the cardinality guard); {@code null} means {@code default}
     * @return the admission; its span must be ended and closed like one from {@link #start(String)}
     */
    CompletableFuture<InferenceSpan> startAsync(@Nullable String model);

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
    <T> T call(@Nullable String model, Callable<T> work) throws Exception;

    /**
     * Like {@link #call} for work that throws no checked exception.
     *
     * @param model the model name
     * @param work the inference
     * @param <T> the result type
     * @return the work's result
     */
    <T> T supply(@Nullable String model, Supplier<T> work);

    /**
     * Like {@link #call} for work without a result.
     *
     * @param model the model name
     * @param work the inference
     */
    void run(@Nullable String model, Runnable work);

    /**
     * Tracks asynchronous work until its stage completes: {@code success}, {@code error}, or {@code cancelled} when
     * the stage was cancelled. The stage returned is the one the work returned, so cancelling it still reaches the
     * work. Admission happens before the work is started, on the calling thread (use {@link #startAsync} to admit
     * without blocking).
     *
     * @param model the model name
     * @param work starts the inference and returns its stage
     * @param <T> the result type
     * @param <S> the stage type
     * @return the work's stage
     */
    <T, S extends CompletionStage<T>> S trackAsync(@Nullable String model, Supplier<S> work);

    /**
     * Decorates a {@link Callable} so that every call is tracked.
     *
     * @param model the model name
     * @param work the inference
     * @param <T> the result type
     * @return the tracked callable
     */
    <T> Callable<T> wrapCallable(@Nullable String model, Callable<T> work);

    /**
     * Decorates a {@link Supplier} so that every call is tracked.
     *
     * @param model the model name
     * @param work the inference
     * @param <T> the result type
     * @return the tracked supplier
     */
    <T> Supplier<T> wrapSupplier(@Nullable String model, Supplier<T> work);

    /**
     * Decorates a {@link Runnable} so that every run is tracked.
     *
     * @param model the model name
     * @param work the inference
     * @return the tracked runnable
     */
    Runnable wrapRunnable(@Nullable String model, Runnable work);

    /**
     * Applies {@link TrackInference} without Spring: wraps an object behind one of its interfaces in a JDK dynamic
     * proxy that tracks every annotated method through this tracker. Methods without the annotation (and
     * {@code equals}, {@code hashCode}, {@code toString}) pass straight through; exceptions reach the caller
     * unwrapped.
     *
     * <pre>{@code
     * interface Generator {
     *     @TrackInference String complete(@InferenceModel String model, String prompt);
     * }
     * Generator tracked = autoscale.tracker().proxy(Generator.class, new EngineGenerator());
     * }</pre>
     *
     * @param type the interface to expose
     * @param target the object to call
     * @param <T> the interface
     * @return the tracking proxy
     * @throws IllegalArgumentException when {@code type} is not an interface
     */
    <T> T proxy(Class<T> type, T target);

    /**
     * Sets the KV-cache utilization of a model, as the host server measures it.
     *
     * @param model the model name
     * @param ratio 0 to 1
     */
    void kvCacheUtilization(@Nullable String model, double ratio);
}
