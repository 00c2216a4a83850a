package dev.llmautoscale.admission;

import java.time.Duration;

/**
 * Thrown when a request is refused before it runs: the server is at capacity, the request waited too long, or the
 * server is draining. The request has already been counted as {@code status="rejected"}. HTTP integrations answer
 * 429 (overload) or 503 (draining) with {@code Retry-After: }{@link #retryAfter()}.
 *
 * <p>Refusals come in bursts under overload, so the exception carries no stack trace.
 */
public final class AdmissionRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the request was refused. */
    private final RejectionReason reason;
    private final transient Duration retryAfter;
    /** The model label value of the refused request. */
    private final String model;

    /**
     * @param reason why the request was refused
     * @param model the model label value of the request
     * @param retryAfter when the client should try again
     * @param message a human-readable explanation
     */
    public AdmissionRejectedException(RejectionReason reason, String model, Duration retryAfter, String message) {
        super(message, null, false, false);
        this.reason = reason;
        this.model = model;
        this.retryAfter = retryAfter;
    }

    /**
     * @return why the request was refused
     */
    public RejectionReason reason() {
        return reason;
    }

    /**
     * @return when the client should try again
     */
    public Duration retryAfter() {
        return retryAfter;
    }

    /**
     * The {@code Retry-After} header value: whole seconds, rounded up, at least 1.
     *
     * @return seconds
     */
    public long retryAfterSeconds() {
        long seconds = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
        return Math.max(1, seconds);
    }

    /**
     * @return the model label value of the refused request
     */
    public String model() {
        return model;
    }

    /**
     * @return whether the refusal is due to draining (HTTP 503) rather than overload (HTTP 429)
     */
    public boolean isDraining() {
        return reason == RejectionReason.DRAINING;
    }
}
