package dev.llmautoscale.lifecycle;

import dev.llmautoscale.settings.Problems;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How an integration runs the {@link InferenceLifecycle}: warm-up timeouts and retries, the pre-drain delay, the
 * drain timeout and the drain trigger file. Keys and defaults: {@link LifecycleKeys}.
 *
 * @param enabled whether the integration warms up at start and drains at stop
 * @param warmupTimeout the timeout of a warm-up hook that declares none
 * @param warmupAttempts warm-up attempts in all (1 = no retry)
 * @param warmupRetryDelay the pause between attempts
 * @param preDrainDelay serving on after readiness turned off; {@code null} for the platform default
 *     ({@link #preDrainDelayOn(Map)})
 * @param drainTimeout how long a drain waits for running and queued work
 * @param drainTriggerFile the file whose appearance starts a drain ({@link DrainTrigger}); {@code null}: none
 */
public record LifecycleSettings(boolean enabled, Duration warmupTimeout, int warmupAttempts,
        Duration warmupRetryDelay, @Nullable Duration preDrainDelay, Duration drainTimeout,
        @Nullable String drainTriggerFile) {

    /** The pre-drain delay on Kubernetes when none is configured: its endpoint removal races SIGTERM. */
    public static final Duration KUBERNETES_PRE_DRAIN_DELAY = Duration.ofSeconds(5);

    /**
     * Validates the arguments; each problem is named by its key.
     *
     * @param enabled whether the integration warms up at start and drains at stop
     * @param warmupTimeout the timeout of a warm-up hook that declares none
     * @param warmupAttempts warm-up attempts in all (1 = no retry)
     * @param warmupRetryDelay the pause between attempts
     * @param preDrainDelay serving on after readiness turned off; {@code null} for the platform default ({@link #preDrainDelayOn(Map)})
     * @param drainTimeout how long a drain waits for running and queued work
     * @param drainTriggerFile the file whose appearance starts a drain ({@link DrainTrigger}); {@code null}: none
     * @throws dev.llmautoscale.settings.InvalidSettingsException when a value is not allowed
     */
    public LifecycleSettings {
        Objects.requireNonNull(warmupTimeout, "warmupTimeout");
        Objects.requireNonNull(warmupRetryDelay, "warmupRetryDelay");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        new Problems()
                .check(LifecycleKeys.WARMUP_TIMEOUT, warmupTimeout)
                .check(LifecycleKeys.WARMUP_ATTEMPTS, warmupAttempts)
                .check(LifecycleKeys.WARMUP_RETRY_DELAY, warmupRetryDelay)
                .check(LifecycleKeys.PRE_DRAIN_DELAY, preDrainDelay)
                .check(LifecycleKeys.DRAIN_TIMEOUT, drainTimeout)
                .check(LifecycleKeys.DRAIN_TRIGGER_FILE, drainTriggerFile)
                .throwIfAny();
    }

    /**
     * @return the defaults of {@link LifecycleKeys}
     */
    public static LifecycleSettings defaults() {
        return builder().build();
    }

    /**
     * @return a builder holding the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The pre-drain delay to apply: the configured one, else {@link #KUBERNETES_PRE_DRAIN_DELAY} on Kubernetes (the
     * variables {@code KUBERNETES_SERVICE_HOST} and {@code KUBERNETES_SERVICE_PORT} are set) and 0 elsewhere, so that
     * local restarts and tests stay fast.
     *
     * @param environment the process environment
     * @return the delay
     */
    public Duration preDrainDelayOn(Map<String, String> environment) {
        if (preDrainDelay != null) {
            return preDrainDelay;
        }
        boolean kubernetes = environment.containsKey("KUBERNETES_SERVICE_HOST")
                && environment.containsKey("KUBERNETES_SERVICE_PORT");
        return kubernetes ? KUBERNETES_PRE_DRAIN_DELAY : Duration.ZERO;
    }

    /** Builds {@link LifecycleSettings}; every setter is optional. */
    public static final class Builder {
        private boolean enabled = LifecycleKeys.ENABLED.defaultValue();
        private Duration warmupTimeout = LifecycleKeys.WARMUP_TIMEOUT.defaultValue();
        private int warmupAttempts = LifecycleKeys.WARMUP_ATTEMPTS.defaultValue();
        private Duration warmupRetryDelay = LifecycleKeys.WARMUP_RETRY_DELAY.defaultValue();
        private @Nullable Duration preDrainDelay = LifecycleKeys.PRE_DRAIN_DELAY.defaultValue();
        private Duration drainTimeout = LifecycleKeys.DRAIN_TIMEOUT.defaultValue();
        private @Nullable String drainTriggerFile = LifecycleKeys.DRAIN_TRIGGER_FILE.defaultValue();

        private Builder() {
        }

        /**
         * @param on whether the integration runs the lifecycle
         * @return this builder
         */
        public Builder enabled(boolean on) {
            this.enabled = on;
            return this;
        }

        /**
         * @param timeout the default warm-up hook timeout
         * @return this builder
         */
        public Builder warmupTimeout(Duration timeout) {
            this.warmupTimeout = timeout;
            return this;
        }

        /**
         * @param attempts warm-up attempts in all
         * @return this builder
         */
        public Builder warmupAttempts(int attempts) {
            this.warmupAttempts = attempts;
            return this;
        }

        /**
         * @param delay the pause between warm-up attempts
         * @return this builder
         */
        public Builder warmupRetryDelay(Duration delay) {
            this.warmupRetryDelay = delay;
            return this;
        }

        /**
         * @param delay the pre-drain delay, {@code null} for the platform default
         * @return this builder
         */
        public Builder preDrainDelay(@Nullable Duration delay) {
            this.preDrainDelay = delay;
            return this;
        }

        /**
         * @param timeout how long a drain waits
         * @return this builder
         */
        public Builder drainTimeout(Duration timeout) {
            this.drainTimeout = timeout;
            return this;
        }

        /**
         * @param file the drain trigger file (an absolute path); {@code null} or blank: no trigger
         * @return this builder
         */
        public Builder drainTriggerFile(@Nullable String file) {
            this.drainTriggerFile = file == null || file.isBlank() ? null : file.trim();
            return this;
        }

        /**
         * @return the validated settings
         * @throws dev.llmautoscale.settings.InvalidSettingsException when a value is not allowed
         */
        public LifecycleSettings build() {
            return new LifecycleSettings(enabled, warmupTimeout, warmupAttempts, warmupRetryDelay, preDrainDelay,
                    drainTimeout, drainTriggerFile);
        }
    }
}
