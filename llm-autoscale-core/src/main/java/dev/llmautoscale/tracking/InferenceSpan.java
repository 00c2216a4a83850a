package dev.llmautoscale.tracking;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

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
 * ignored. Each span belongs to one request for its whole life and is never reused, so a call on a span that has
 * ended (a late token from a streaming thread, a second close) is a harmless no-op and can never touch another
 * request's figures.
 *
 * <p>Not meant to be implemented outside this library.
 */
public interface InferenceSpan extends AutoCloseable {

    /**
     * Marks the first output token now and records the time to first token (from arrival, queue wait included).
     * Only the first call counts; ignored once the span ended.
     *
     * @return this span
     */
    InferenceSpan firstToken();

    /**
     * Reports output tokens as they are produced; counted in {@code llm_generation_tokens_total} at once. The first
     * call with a positive count also marks the first token. Ignored once the span ended.
     *
     * @param count tokens produced since the last call
     * @return this span
     */
    InferenceSpan tokens(long count);

    /**
     * Reports prompt tokens; counted in {@code llm_prompt_tokens_total} at once. Ignored once the span ended.
     *
     * @param count prompt tokens
     * @return this span
     */
    InferenceSpan promptTokens(long count);

    /** Ends the span as {@code success}. */
    void success();

    /**
     * Ends the span after a failure: {@code cancelled} when the cause (unwrapped from {@link CompletionException} and
     * {@link ExecutionException}) is a {@link CancellationException} or an {@link InterruptedException} — the caller
     * went away — and {@code error} otherwise.
     *
     * @param cause the failure (not recorded in metrics, whose labels stay bounded); may be {@code null} (error)
     */
    void failure(@Nullable Throwable cause);

    /** Ends the span as {@code cancelled}: the caller went away. */
    void cancel();

    /**
     * Ends the span as {@code error} when no outcome was reached (an exception skipped {@link #success()}). A second
     * close is ignored.
     */
    @Override
    void close();

    /**
     * @return whether an outcome was reached
     */
    boolean isEnded();

    /**
     * @return the model label value the span is counted under
     */
    String model();

    /**
     * @return output tokens reported so far
     */
    long outputTokens();
}
