package dev.llmautoscale.examples.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * Timings and limits of the {@link SimulatedEngine}.
 *
 * @param maxBatchSize sequences decoded together in one step (continuous batching), at least 1
 * @param prefillMillisPerToken prefill time per prompt token, added to the step in which a sequence joins the batch
 * @param decodeMillisPerToken the time of one decode step (one token for every sequence in the batch) with a batch
 *     of one
 * @param batchSlowdown how much longer a step gets per additional sequence in the batch, as a fraction of
 *     {@code decodeMillisPerToken} (0.05: a batch of 8 decodes each token 35% slower than a batch of 1)
 * @param kvCacheTokens the KV-cache budget in tokens per model; a sequence reserves its prompt plus its maximum
 *     output before it joins the batch, so a full cache makes sequences wait instead of being preempted
 * @param maxModelLength the context length: prompt plus maximum output tokens of one request
 * @param modelLoadTime how long loading one model takes (the engine sleeps; nothing is read)
 */
public record EngineConfig(
        int maxBatchSize,
        double prefillMillisPerToken,
        double decodeMillisPerToken,
        double batchSlowdown,
        int kvCacheTokens,
        int maxModelLength,
        Duration modelLoadTime) {

    /** Validates the arguments. */
    public EngineConfig {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be >= 1, got " + maxBatchSize);
        }
        requireNonNegative("prefillMillisPerToken", prefillMillisPerToken);
        requireNonNegative("decodeMillisPerToken", decodeMillisPerToken);
        requireNonNegative("batchSlowdown", batchSlowdown);
        if (maxModelLength < 2) {
            throw new IllegalArgumentException("maxModelLength must be >= 2, got " + maxModelLength);
        }
        if (kvCacheTokens < maxModelLength) {
            throw new IllegalArgumentException("kvCacheTokens (" + kvCacheTokens
                    + ") must be >= maxModelLength (" + maxModelLength + ") or a long request could never run");
        }
        Objects.requireNonNull(modelLoadTime, "modelLoadTime");
        if (modelLoadTime.isNegative()) {
            throw new IllegalArgumentException("modelLoadTime must not be negative, got " + modelLoadTime);
        }
    }

    private static void requireNonNegative(String what, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(what + " must be a finite number >= 0, got " + value);
        }
    }

    /**
     * The defaults: batch 8, prefill 0.5 ms/token, decode 25 ms/token, slowdown 5% per extra sequence, KV cache 16384
     * tokens, context 4096 tokens, model load 5 s.
     *
     * @return the defaults
     */
    public static EngineConfig defaults() {
        return new EngineConfig(8, 0.5, 25, 0.05, 16_384, 4096, Duration.ofSeconds(5));
    }

    /**
     * The duration of one engine step.
     *
     * @param batch sequences in the batch during the step
     * @param prefillTokens prompt tokens of the sequences that joined the batch in this step
     * @return the step duration in nanoseconds
     */
    public long stepNanos(int batch, long prefillTokens) {
        double decode = decodeMillisPerToken * (1 + batchSlowdown * Math.max(0, batch - 1));
        double prefill = prefillMillisPerToken * prefillTokens;
        return Math.round((decode + prefill) * 1_000_000);
    }
}
