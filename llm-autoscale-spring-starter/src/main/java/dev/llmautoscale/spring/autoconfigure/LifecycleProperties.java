package dev.llmautoscale.spring.autoconfigure;

import dev.llmautoscale.lifecycle.LifecycleKeys;
import dev.llmautoscale.lifecycle.LifecycleSettings;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.convert.DurationUnit;

/**
 * {@code llm.autoscale.lifecycle.*}: warm-up and drain, joined to Spring Boot's lifecycle; bound onto
 * {@link LifecycleSettings} (keys, defaults and validation: {@link LifecycleKeys}).
 */
public class LifecycleProperties {

    /** Whether the lifecycle is joined to Spring Boot's: warm-up after start (then ready), drain before the web server's graceful shutdown. */
    private boolean enabled = LifecycleKeys.ENABLED.defaultValue();

    /** Default timeout of a warm-up hook that declares none. */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration warmupTimeout = LifecycleKeys.WARMUP_TIMEOUT.defaultValue();

    /** Warm-up attempts in all before the server is marked failed (1 = no retry). */
    private int warmupAttempts = LifecycleKeys.WARMUP_ATTEMPTS.defaultValue();

    /** The pause between warm-up attempts. */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration warmupRetryDelay = LifecycleKeys.WARMUP_RETRY_DELAY.defaultValue();

    /** How long to keep serving after readiness turns to REFUSING_TRAFFIC on shutdown, while load balancers remove the endpoint; unset: 5s on Kubernetes, 0 elsewhere. */
    @DurationUnit(ChronoUnit.SECONDS)
    private @Nullable Duration preDrainDelay = LifecycleKeys.PRE_DRAIN_DELAY.defaultValue();

    /** After the pre-drain delay, how long to wait for running and queued inferences (also the timeout of POST /drain). spring.lifecycle.timeout-per-shutdown-phase is raised to cover it. */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration drainTimeout = LifecycleKeys.DRAIN_TIMEOUT.defaultValue();

    /** When this file appears (or, if it existed at startup, is touched again) the server drains: readiness 503, new inferences 503, running and queued ones finish; checked once a second. The guide's preStop hook touches it. Empty: off. */
    private @Nullable String drainTriggerFile = LifecycleKeys.DRAIN_TRIGGER_FILE.defaultValue();

    /**
     * @return whether the lifecycle is joined to Spring Boot's: warm-up after start (then ready), drain before the web server's graceful shutdown
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * @param enabled whether the lifecycle is joined to Spring Boot's: warm-up after start (then ready), drain before the web server's graceful shutdown
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * @return default timeout of a warm-up hook that declares none
     */
    public Duration getWarmupTimeout() {
        return warmupTimeout;
    }

    /**
     * @param warmupTimeout default timeout of a warm-up hook that declares none
     */
    public void setWarmupTimeout(Duration warmupTimeout) {
        this.warmupTimeout = warmupTimeout;
    }

    /**
     * @return warm-up attempts in all before the server is marked failed (1 = no retry)
     */
    public int getWarmupAttempts() {
        return warmupAttempts;
    }

    /**
     * @param warmupAttempts warm-up attempts in all before the server is marked failed (1 = no retry)
     */
    public void setWarmupAttempts(int warmupAttempts) {
        this.warmupAttempts = warmupAttempts;
    }

    /**
     * @return the pause between warm-up attempts
     */
    public Duration getWarmupRetryDelay() {
        return warmupRetryDelay;
    }

    /**
     * @param warmupRetryDelay the pause between warm-up attempts
     */
    public void setWarmupRetryDelay(Duration warmupRetryDelay) {
        this.warmupRetryDelay = warmupRetryDelay;
    }

    /**
     * @return how long to keep serving after readiness turns to REFUSING_TRAFFIC on shutdown, while load balancers remove the endpoint; unset: 5s on Kubernetes, 0 elsewhere
     */
    public @Nullable Duration getPreDrainDelay() {
        return preDrainDelay;
    }

    /**
     * @param preDrainDelay how long to keep serving after readiness turns to REFUSING_TRAFFIC on shutdown, while load balancers remove the endpoint; unset: 5s on Kubernetes, 0 elsewhere
     */
    public void setPreDrainDelay(@Nullable Duration preDrainDelay) {
        this.preDrainDelay = preDrainDelay;
    }

    /**
     * @return after the pre-drain delay, how long to wait for running and queued inferences (also the timeout of POST /drain). spring.lifecycle.timeout-per-shutdown-phase is raised to cover it
     */
    public Duration getDrainTimeout() {
        return drainTimeout;
    }

    /**
     * @param drainTimeout after the pre-drain delay, how long to wait for running and queued inferences (also the timeout of POST /drain). spring.lifecycle.timeout-per-shutdown-phase is raised to cover it
     */
    public void setDrainTimeout(Duration drainTimeout) {
        this.drainTimeout = drainTimeout;
    }

    /**
     * @return the file whose appearance drains the server (empty: off)
     */
    public @Nullable String getDrainTriggerFile() {
        return drainTriggerFile;
    }

    /**
     * @param drainTriggerFile the file whose appearance drains the server; empty: off
     */
    public void setDrainTriggerFile(@Nullable String drainTriggerFile) {
        this.drainTriggerFile = drainTriggerFile;
    }

    /**
     * @return the core's lifecycle settings
     * @throws dev.llmautoscale.settings.InvalidSettingsException naming each bad property
     */
    public LifecycleSettings toLifecycleSettings() {
        return LifecycleSettings.builder()
                .enabled(enabled)
                .warmupTimeout(warmupTimeout)
                .warmupAttempts(warmupAttempts)
                .warmupRetryDelay(warmupRetryDelay)
                .preDrainDelay(preDrainDelay)
                .drainTimeout(drainTimeout)
                .drainTriggerFile(drainTriggerFile)
                .build();
    }

}
