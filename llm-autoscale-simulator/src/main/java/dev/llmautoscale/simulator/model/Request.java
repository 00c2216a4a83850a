package dev.llmautoscale.simulator.model;

/**
 * One simulated request, from its arrival to its outcome: the only object the simulation allocates per request.
 * Times are seconds of simulated time.
 */
public final class Request {

    /** Not finished yet. */
    public static final int PENDING = 0;
    /** Completed (HTTP 200). */
    public static final int SERVED = 1;
    /** Refused by admission control: queue full or waited too long (HTTP 429). */
    public static final int REJECTED = 2;
    /** Refused because no ready endpoint existed, the model was loading, or the pod was draining (HTTP 503). */
    public static final int UNAVAILABLE = 3;
    /** Cut while queued or running because its pod stopped (grace period over, or drain timeout). */
    public static final int LOST = 4;
    /** Longer than the model's context (HTTP 400). */
    public static final int INVALID = 5;

    final long id;
    final double arrival;
    final int promptTokens;
    final int maxTokens;
    double admitted = Double.NaN;
    double firstToken = Double.NaN;
    double finished = Double.NaN;
    long finishStep;
    int outcome = PENDING;

    /**
     * @param id           sequence number from 1
     * @param arrival      arrival time
     * @param promptTokens prompt tokens, at least 1
     * @param maxTokens    output tokens (the server generates exactly this many), at least 1
     */
    public Request(long id, double arrival, int promptTokens, int maxTokens) {
        this.id = id;
        this.arrival = arrival;
        this.promptTokens = promptTokens;
        this.maxTokens = maxTokens;
    }

    /** @return sequence number */
    public long id() {
        return id;
    }

    /** @return arrival time */
    public double arrival() {
        return arrival;
    }

    /** @return prompt tokens */
    public int promptTokens() {
        return promptTokens;
    }

    /** @return output tokens */
    public int maxTokens() {
        return maxTokens;
    }

    /** @return admission time (NaN before) */
    public double admitted() {
        return admitted;
    }

    /** @return first token time (NaN before) */
    public double firstToken() {
        return firstToken;
    }

    /** @return completion or refusal time (NaN before) */
    public double finished() {
        return finished;
    }

    /** @return {@link #PENDING}, {@link #SERVED}, {@link #REJECTED}, {@link #UNAVAILABLE}, {@link #LOST}, {@link #INVALID} */
    public int outcome() {
        return outcome;
    }
}
