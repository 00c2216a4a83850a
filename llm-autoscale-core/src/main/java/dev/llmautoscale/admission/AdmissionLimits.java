package dev.llmautoscale.admission;

import dev.llmautoscale.settings.Problems;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Admission control settings: how many inferences run at once, how many may wait, and for how long.
 *
 * @param enabled whether requests are limited at all; when off, {@code maxConcurrency} still sizes the capacity
 *     utilization gauge
 * @param maxConcurrency concurrent inferences over all models (the guide's {@code MAX_CONCURRENT_REQUESTS});
 *     0 means unlimited
 * @param queueCapacity requests that may wait for a slot, FIFO; 0 refuses at once when every slot is busy
 * @param maxQueueWait the longest a request waits before it is refused with {@link RejectionReason#QUEUE_TIMEOUT}
 * @param retryAfter the hint given to refused clients (HTTP {@code Retry-After}) while overloaded
 * @param drainRetryAfter the hint given to clients refused while draining
 * @param perModelMaxConcurrency optional limits for single models (by model label value), on top of the global one
 */
public record AdmissionLimits(
        boolean enabled,
        int maxConcurrency,
        int queueCapacity,
        Duration maxQueueWait,
        Duration retryAfter,
        Duration drainRetryAfter,
        Map<String, Integer> perModelMaxConcurrency) {

    /**
     * Validates and copies the arguments; each problem is named by its key ({@link AdmissionKeys}).
     *
     * @throws dev.llmautoscale.settings.InvalidSettingsException when a value is not allowed
     */
    public AdmissionLimits {
        Objects.requireNonNull(maxQueueWait, "maxQueueWait");
        Objects.requireNonNull(retryAfter, "retryAfter");
        Objects.requireNonNull(drainRetryAfter, "drainRetryAfter");
        perModelMaxConcurrency = Map.copyOf(Objects.requireNonNull(perModelMaxConcurrency, "perModelMaxConcurrency"));
        Problems problems = new Problems()
                .check(AdmissionKeys.MAX_CONCURRENCY, maxConcurrency)
                .check(AdmissionKeys.QUEUE_CAPACITY, queueCapacity)
                .check(AdmissionKeys.MAX_QUEUE_WAIT, maxQueueWait)
                .check(AdmissionKeys.RETRY_AFTER, retryAfter)
                .check(AdmissionKeys.DRAIN_RETRY_AFTER, drainRetryAfter)
                .check(AdmissionKeys.PER_MODEL_MAX_CONCURRENCY, perModelMaxConcurrency);
        if (enabled && maxConcurrency == 0 && perModelMaxConcurrency.isEmpty()) {
            problems.add(AdmissionKeys.ENABLED, "is true but no limit is set: set "
                    + AdmissionKeys.MAX_CONCURRENCY.key() + " or " + AdmissionKeys.PER_MODEL_MAX_CONCURRENCY.key());
        }
        problems.throwIfAny();
    }

    /**
     * No admission control and no known capacity: requests are tracked, never refused (except while draining).
     *
     * @return the settings
     */
    public static AdmissionLimits disabled() {
        return builder().build();
    }

    /**
     * A builder holding the defaults of {@link AdmissionKeys}: disabled, unlimited, queue 0, max wait 30 s,
     * retry-after 1 s, drain retry-after 5 s.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The concurrency limit that applies to one model label: its own limit, else the global one.
     *
     * @param model a model label value
     * @return the limit, or 0 when unlimited
     */
    public int limitFor(String model) {
        Integer own = perModelMaxConcurrency.get(model);
        return own != null ? (maxConcurrency > 0 ? Math.min(own, maxConcurrency) : own) : maxConcurrency;
    }

    /** Builds {@link AdmissionLimits}. */
    public static final class Builder {
        private boolean enabled = AdmissionKeys.ENABLED.defaultValue();
        private int maxConcurrency = AdmissionKeys.MAX_CONCURRENCY.defaultValue();
        private int queueCapacity = AdmissionKeys.QUEUE_CAPACITY.defaultValue();
        private Duration maxQueueWait = AdmissionKeys.MAX_QUEUE_WAIT.defaultValue();
        private Duration retryAfter = AdmissionKeys.RETRY_AFTER.defaultValue();
        private Duration drainRetryAfter = AdmissionKeys.DRAIN_RETRY_AFTER.defaultValue();
        private Map<String, Integer> perModel = AdmissionKeys.PER_MODEL_MAX_CONCURRENCY.defaultValue();

        private Builder() {
        }

        /**
         * @param on whether to limit requests
         * @return this builder
         */
        public Builder enabled(boolean on) {
            this.enabled = on;
            return this;
        }

        /**
         * @param max concurrent inferences, 0 = unlimited
         * @return this builder
         */
        public Builder maxConcurrency(int max) {
            this.maxConcurrency = max;
            return this;
        }

        /**
         * @param capacity requests that may wait
         * @return this builder
         */
        public Builder queueCapacity(int capacity) {
            this.queueCapacity = capacity;
            return this;
        }

        /**
         * @param wait the longest wait in the queue
         * @return this builder
         */
        public Builder maxQueueWait(Duration wait) {
            this.maxQueueWait = wait;
            return this;
        }

        /**
         * @param hint the retry hint while overloaded
         * @return this builder
         */
        public Builder retryAfter(Duration hint) {
            this.retryAfter = hint;
            return this;
        }

        /**
         * @param hint the retry hint while draining
         * @return this builder
         */
        public Builder drainRetryAfter(Duration hint) {
            this.drainRetryAfter = hint;
            return this;
        }

        /**
         * @param limits per-model concurrency limits by model label value
         * @return this builder
         */
        public Builder perModelMaxConcurrency(Map<String, Integer> limits) {
            this.perModel = limits;
            return this;
        }

        /**
         * @return the validated settings
         * @throws dev.llmautoscale.settings.InvalidSettingsException when a value is out of range
         */
        public AdmissionLimits build() {
            return new AdmissionLimits(enabled, maxConcurrency, queueCapacity, maxQueueWait, retryAfter,
                    drainRetryAfter, perModel);
        }
    }
}
