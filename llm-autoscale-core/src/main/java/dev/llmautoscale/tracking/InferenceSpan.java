package dev.llmautoscale.tracking;

import dev.llmautoscale.metrics.InferenceStatus;
import dev.llmautoscale.metrics.ModelMetrics;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * One tracked inference, from {@link InferenceTracker#start(String)} until it ends with {@link #success()},
 * {@link #failure(Throwable)}, {@link #cancel()} or {@link #close()}.
 *
 * <pre>{@code
 * try (InferenceSpan span = tracker.start("llama-13b")) {
 *     span.promptTokens(prompt.tokens());
 *     for (Token t : engine.generate(prompt)) {
 *         span.tokens(1);          // the first call also records time to first token
 *         out.write(t);
 *     }
 *     span.success();
 * }                                // no outcome reached (an exception): counted as error
 * }</pre>
 *
 * <p>A span may cross threads (streaming): tokens may be reported from a producer thread and the outcome from
 * another. Ending is atomic: the first outcome wins and every later outcome, including a second {@link #close()}, is
 * ignored. Token reporting should come from one thread at a time.
 *
 * <p><b>Reuse.</b> So that tracking allocates nothing in steady state, a span that has been <em>closed</em> may be
 * handed out again by a later {@link InferenceTracker#start(String)} on the thread that started it. Closing twice in
 * a row is harmless, but do not keep using a span after {@link #close()}: once its thread has started another
 * inference the reference may belong to that one. A span ended with {@link #success()} (or another outcome) but never
 * closed is simply not reused.
 */
public final class InferenceSpan implements AutoCloseable {

    private static final int OPEN = 0;
    private static final int ENDED = 1;
    private static final int CLOSED = 2;

    private static final VarHandle STATE;
    private static final VarHandle OUTPUT_TOKENS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(InferenceSpan.class, "state", int.class);
            OUTPUT_TOKENS = lookup.findVarHandle(InferenceSpan.class, "outputTokens", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final InferenceTracker tracker;
    private ModelMetrics model;
    private long startNanos;
    private volatile long firstTokenNanos;
    @SuppressWarnings("unused") // updated through OUTPUT_TOKENS
    private volatile long outputTokens;
    @SuppressWarnings("unused") // updated through STATE
    private volatile int state;

    InferenceSpan(InferenceTracker tracker, ModelMetrics model, long startNanos) {
        this.tracker = tracker;
        this.model = model;
        this.startNanos = startNanos;
    }

    /**
     * Takes a closed span for a new inference; only the thread whose cache holds the span calls this.
     *
     * @return whether the span was closed and now tracks the new inference
     */
    boolean reopen(ModelMetrics newModel, long newStartNanos) {
        if (state != CLOSED) {
            return false;
        }
        model = newModel;
        startNanos = newStartNanos;
        firstTokenNanos = 0;
        OUTPUT_TOKENS.setVolatile(this, 0L);
        STATE.setVolatile(this, OPEN);
        return true;
    }

    /**
     * Marks the first output token now and records the time to first token (from arrival, queue wait included).
     * Only the first call counts.
     *
     * @return this span
     */
    public InferenceSpan firstToken() {
        if (firstTokenNanos == 0 && state == OPEN) {
            long now = System.nanoTime();
            firstTokenNanos = now == 0 ? 1 : now;
            model.firstToken(now - startNanos);
        }
        return this;
    }

    /**
     * Reports output tokens as they are produced; counted in {@code llm_generation_tokens_total} at once. The first
     * call with a positive count also marks the first token.
     *
     * @param count tokens produced since the last call
     * @return this span
     */
    public InferenceSpan tokens(long count) {
        if (count > 0 && state == OPEN) {
            if (firstTokenNanos == 0) {
                firstToken();
            }
            OUTPUT_TOKENS.getAndAdd(this, count);
            model.generationTokens(count);
        }
        return this;
    }

    /**
     * Reports prompt tokens; counted in {@code llm_prompt_tokens_total} at once.
     *
     * @param count prompt tokens
     * @return this span
     */
    public InferenceSpan promptTokens(long count) {
        if (state == OPEN) {
            model.promptTokens(count);
        }
        return this;
    }

    /** Ends the span as {@code success}. */
    public void success() {
        end(InferenceStatus.SUCCESS);
    }

    /**
     * Ends the span after a failure: {@code cancelled} when the cause (unwrapped from {@link CompletionException} and
     * {@link ExecutionException}) is a {@link CancellationException} or an {@link InterruptedException} — the caller
     * went away — and {@code error} otherwise.
     *
     * @param cause the failure (not recorded in metrics, whose labels stay bounded); may be {@code null} (error)
     */
    public void failure(Throwable cause) {
        Throwable c = cause;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        end(c instanceof CancellationException || c instanceof InterruptedException
                ? InferenceStatus.CANCELLED : InferenceStatus.ERROR);
    }

    /** Ends the span as {@code cancelled}: the caller went away. */
    public void cancel() {
        end(InferenceStatus.CANCELLED);
    }

    /**
     * Ends the span as {@code error} when no outcome was reached (an exception skipped {@link #success()}), and
     * releases it for reuse. A second close is ignored.
     */
    @Override
    public void close() {
        while (true) {
            int s = state;
            if (s == CLOSED) {
                return;
            }
            if (s == OPEN) {
                end(InferenceStatus.ERROR);
            } else if (STATE.compareAndSet(this, ENDED, CLOSED)) {
                return;
            }
        }
    }

    /**
     * @return whether an outcome was reached
     */
    public boolean isEnded() {
        return state != OPEN;
    }

    /**
     * @return the model label value the span is counted under
     */
    public String model() {
        return model.label();
    }

    /**
     * @return output tokens reported so far
     */
    public long outputTokens() {
        return (long) OUTPUT_TOKENS.getVolatile(this);
    }

    private void end(InferenceStatus status) {
        if (!STATE.compareAndSet(this, OPEN, ENDED)) {
            return;
        }
        long now = System.nanoTime();
        long first = firstTokenNanos;
        long tokens = (long) OUTPUT_TOKENS.getVolatile(this);
        ModelMetrics m = model;
        if (first != 0 && tokens > 1) {
            m.timePerOutputToken((now - first) / (tokens - 1));
        }
        m.finished(status, now - startNanos);
        tracker.released(m);
    }
}
