package dev.llmautoscale.admission;

import java.util.Locale;

/** Why a request was refused; the {@code reason} label of {@code llm_requests_rejected_total}. */
public enum RejectionReason {
    /** Every concurrency slot was busy and the wait queue was full (or disabled). HTTP 429. */
    QUEUE_FULL,
    /** The request waited in the queue longer than the maximum queue wait. HTTP 429. */
    QUEUE_TIMEOUT,
    /** The server is draining or stopped and takes no new work. HTTP 503. */
    DRAINING;

    private final String label = name().toLowerCase(Locale.ROOT);

    /**
     * The label value, as exposed to Prometheus.
     *
     * @return {@code queue_full}, {@code queue_timeout} or {@code draining}
     */
    public String label() {
        return label;
    }
}
