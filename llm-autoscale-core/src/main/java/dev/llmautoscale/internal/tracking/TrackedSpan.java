package dev.llmautoscale.internal.tracking;

import dev.llmautoscale.internal.metrics.ModelMetrics;
import dev.llmautoscale.metrics.InferenceStatus;
import dev.llmautoscale.tracking.InferenceSpan;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * The span of one admitted request: the one object the per-request path allocates. Never reused, so a late call
 * after the end only ever sees this request's own state, which says "ended".
 */
final class TrackedSpan implements InferenceSpan {

    private static final int OPEN = 0;
    private static final int ENDED = 1;

    private static final VarHandle STATE;
    private static final VarHandle OUTPUT_TOKENS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATE = lookup.findVarHandle(TrackedSpan.class, "state", int.class);
            OUTPUT_TOKENS = lookup.findVarHandle(TrackedSpan.class, "outputTokens", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final DefaultInferenceTracker tracker;
    private final ModelMetrics model;
    private final long startNanos;
    private volatile long firstTokenNanos;
    @SuppressWarnings("unused") // updated through OUTPUT_TOKENS
    private volatile long outputTokens;
    @SuppressWarnings("unused") // updated through STATE
    private volatile int state;

    TrackedSpan(DefaultInferenceTracker tracker, ModelMetrics model, long startNanos) {
        this.tracker = tracker;
        this.model = model;
        this.startNanos = startNanos;
    }

    @Override
    public InferenceSpan firstToken() {
        if (firstTokenNanos == 0 && state == OPEN) {
            long now = System.nanoTime();
            firstTokenNanos = now == 0 ? 1 : now;
            model.firstToken(now - startNanos);
        }
        return this;
    }

    @Override
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

    @Override
    public InferenceSpan promptTokens(long count) {
        if (state == OPEN) {
            model.promptTokens(count);
        }
        return this;
    }

    @Override
    public void success() {
        end(InferenceStatus.SUCCESS);
    }

    @Override
    public void failure(@Nullable Throwable cause) {
        Throwable c = cause;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        end(c instanceof CancellationException || c instanceof InterruptedException
                ? InferenceStatus.CANCELLED : InferenceStatus.ERROR);
    }

    @Override
    public void cancel() {
        end(InferenceStatus.CANCELLED);
    }

    @Override
    public void close() {
        end(InferenceStatus.ERROR);
    }

    @Override
    public boolean isEnded() {
        return state != OPEN;
    }

    @Override
    public String model() {
        return model.label();
    }

    @Override
    public long outputTokens() {
        return (long) OUTPUT_TOKENS.getVolatile(this);
    }

    @Override
    public String toString() {
        return "InferenceSpan[model=" + model.label() + ", " + (state == OPEN ? "open" : "ended") + "]";
    }

    private void end(InferenceStatus status) {
        if (state != OPEN || !STATE.compareAndSet(this, OPEN, ENDED)) {
            return;
        }
        long now = System.nanoTime();
        long first = firstTokenNanos;
        long tokens = (long) OUTPUT_TOKENS.getVolatile(this);
        if (first != 0 && tokens > 1) {
            model.timePerOutputToken((now - first) / (tokens - 1));
        }
        model.finished(status, now - startNanos);
        tracker.release(model);
    }
}
