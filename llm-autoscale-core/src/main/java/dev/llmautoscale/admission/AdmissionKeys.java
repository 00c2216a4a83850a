package dev.llmautoscale.admission;

import dev.llmautoscale.settings.Setting;
import dev.llmautoscale.settings.SettingsReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The keys of {@link AdmissionLimits}, {@code llm.autoscale.admission.*}: each one's default and validation, in one
 * place. {@link AdmissionLimits.Builder} starts from these defaults and the record's constructor applies these
 * validations.
 */
public final class AdmissionKeys {

    /** Whether requests over capacity are refused or queued. */
    public static final Setting<Boolean> ENABLED = Setting.bool(Setting.PREFIX + "admission.enabled", false,
            "Whether admission control limits requests (queue, then 429/503). Off: requests are only tracked, and "
                    + "max-concurrency still sizes llm_capacity_utilization.");
    /** The guide's {@code MAX_CONCURRENT_REQUESTS}. */
    public static final Setting<Integer> MAX_CONCURRENCY = Setting.integer(Setting.PREFIX
            + "admission.max-concurrency", 0, 0, Integer.MAX_VALUE, "0 = unlimited",
            "Concurrent inferences over all models (the guide's MAX_CONCURRENT_REQUESTS).");
    /** Requests that may wait for a slot. */
    public static final Setting<Integer> QUEUE_CAPACITY = Setting.integer(Setting.PREFIX + "admission.queue-capacity",
            0, 0, Integer.MAX_VALUE, "", "Requests that may wait for a slot, FIFO; 0 refuses at once when every "
                    + "slot is busy.");
    /** The longest wait for a slot. */
    public static final Setting<Duration> MAX_QUEUE_WAIT = Setting.duration(Setting.PREFIX
            + "admission.max-queue-wait", Duration.ofSeconds(30), false,
            "The longest a request waits for a slot before it is refused with queue_timeout.");
    /** {@code Retry-After} of an overload refusal. */
    public static final Setting<Duration> RETRY_AFTER = Setting.duration(Setting.PREFIX + "admission.retry-after",
            Duration.ofSeconds(1), false, "Retry-After sent with an overload refusal (rounded up to seconds).");
    /** {@code Retry-After} of a refusal while draining. */
    public static final Setting<Duration> DRAIN_RETRY_AFTER = Setting.duration(Setting.PREFIX
            + "admission.drain-retry-after", Duration.ofSeconds(5), false,
            "Retry-After sent with a refusal while the server drains.");
    /** Limits of single models, on top of the global one. */
    public static final Setting<Map<String, Integer>> PER_MODEL_MAX_CONCURRENCY = Setting.limits(Setting.PREFIX
            + "admission.per-model-max-concurrency", 1,
            "Concurrency limits of single models (by model label value), on top of max-concurrency.");

    /** Every admission setting. */
    public static final List<Setting<?>> ALL = List.of(ENABLED, MAX_CONCURRENCY, QUEUE_CAPACITY, MAX_QUEUE_WAIT,
            RETRY_AFTER, DRAIN_RETRY_AFTER, PER_MODEL_MAX_CONCURRENCY);

    private AdmissionKeys() {
    }

    /**
     * Reads the admission limits.
     *
     * @param r the reader; problems are kept in it
     * @return the limits (the defaults where a value is bad)
     */
    public static AdmissionLimits read(SettingsReader r) {
        return r.build(() -> AdmissionLimits.builder()
                .enabled(r.get(ENABLED))
                .maxConcurrency(r.get(MAX_CONCURRENCY))
                .queueCapacity(r.get(QUEUE_CAPACITY))
                .maxQueueWait(r.get(MAX_QUEUE_WAIT))
                .retryAfter(r.get(RETRY_AFTER))
                .drainRetryAfter(r.get(DRAIN_RETRY_AFTER))
                .perModelMaxConcurrency(r.get(PER_MODEL_MAX_CONCURRENCY))
                .build(), AdmissionLimits.disabled());
    }
}
