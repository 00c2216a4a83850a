package dev.llmautoscale.metrics;

import java.util.Locale;

/**
 * The {@code status} label of {@code llm_inference_requests_total}: how an inference request ended.
 *
 * <p>{@link #SUCCESS} and {@link #ERROR} are the guide's values; {@link #REJECTED} and {@link #CANCELLED} are the two
 * this library adds so that refused and abandoned requests are visible instead of hiding inside {@code error}.
 */
public enum InferenceStatus {
    /** The request completed normally. */
    SUCCESS,
    /** The request failed: the inference code threw, or the span was closed without an outcome. */
    ERROR,
    /** The request never ran: refused by admission control (full queue, queue timeout) or while draining. */
    REJECTED,
    /** The caller went away: a cancelled future, a client disconnect, an interrupt while queued. */
    CANCELLED;

    private final String label = name().toLowerCase(Locale.ROOT);

    /**
     * The label value, as exposed to Prometheus.
     *
     * @return {@code success}, {@code error}, {@code rejected} or {@code cancelled}
     */
    public String label() {
        return label;
    }
}
