package dev.llmautoscale.spring.autoconfigure;

import dev.llmautoscale.admission.AdmissionKeys;
import dev.llmautoscale.admission.AdmissionLimits;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.convert.DurationUnit;

/**
 * {@code llm.autoscale.admission.*}, bound onto {@link AdmissionLimits} (keys, defaults and validation:
 * {@link AdmissionKeys}).
 */
public class AdmissionProperties {

    /** Whether admission control limits requests (queue, then 429/503). Off: requests are only tracked, and max-concurrency still sizes llm_capacity_utilization. */
    private boolean enabled = AdmissionKeys.ENABLED.defaultValue();

    /** Concurrent inferences over all models (the guide's MAX_CONCURRENT_REQUESTS); 0 = unlimited. */
    private int maxConcurrency = AdmissionKeys.MAX_CONCURRENCY.defaultValue();

    /** Requests that may wait for a slot, FIFO; 0 refuses at once when every slot is busy. */
    private int queueCapacity = AdmissionKeys.QUEUE_CAPACITY.defaultValue();

    /** The longest a request waits for a slot before it is refused with queue_timeout (a bare number is seconds). */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration maxQueueWait = AdmissionKeys.MAX_QUEUE_WAIT.defaultValue();

    /** Retry-After sent with an overload refusal (rounded up to seconds). */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration retryAfter = AdmissionKeys.RETRY_AFTER.defaultValue();

    /** Retry-After sent with a refusal while the server drains. */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration drainRetryAfter = AdmissionKeys.DRAIN_RETRY_AFTER.defaultValue();

    /** Concurrency limits of single models (by model label value), on top of max-concurrency: a map, or "model=limit,model=limit". */
    private Map<String, Integer> perModelMaxConcurrency = new LinkedHashMap<>(AdmissionKeys.PER_MODEL_MAX_CONCURRENCY.defaultValue());

    /**
     * @return whether admission control limits requests (queue, then 429/503). Off: requests are only tracked, and max-concurrency still sizes llm_capacity_utilization
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * @param enabled whether admission control limits requests (queue, then 429/503). Off: requests are only tracked, and max-concurrency still sizes llm_capacity_utilization
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * @return concurrent inferences over all models (the guide's MAX_CONCURRENT_REQUESTS); 0 = unlimited
     */
    public int getMaxConcurrency() {
        return maxConcurrency;
    }

    /**
     * @param maxConcurrency concurrent inferences over all models (the guide's MAX_CONCURRENT_REQUESTS); 0 = unlimited
     */
    public void setMaxConcurrency(int maxConcurrency) {
        this.maxConcurrency = maxConcurrency;
    }

    /**
     * @return requests that may wait for a slot, FIFO; 0 refuses at once when every slot is busy
     */
    public int getQueueCapacity() {
        return queueCapacity;
    }

    /**
     * @param queueCapacity requests that may wait for a slot, FIFO; 0 refuses at once when every slot is busy
     */
    public void setQueueCapacity(int queueCapacity) {
        this.queueCapacity = queueCapacity;
    }

    /**
     * @return the longest a request waits for a slot before it is refused with queue_timeout (a bare number is seconds)
     */
    public Duration getMaxQueueWait() {
        return maxQueueWait;
    }

    /**
     * @param maxQueueWait the longest a request waits for a slot before it is refused with queue_timeout (a bare number is seconds)
     */
    public void setMaxQueueWait(Duration maxQueueWait) {
        this.maxQueueWait = maxQueueWait;
    }

    /**
     * @return retry-After sent with an overload refusal (rounded up to seconds)
     */
    public Duration getRetryAfter() {
        return retryAfter;
    }

    /**
     * @param retryAfter retry-After sent with an overload refusal (rounded up to seconds)
     */
    public void setRetryAfter(Duration retryAfter) {
        this.retryAfter = retryAfter;
    }

    /**
     * @return retry-After sent with a refusal while the server drains
     */
    public Duration getDrainRetryAfter() {
        return drainRetryAfter;
    }

    /**
     * @param drainRetryAfter retry-After sent with a refusal while the server drains
     */
    public void setDrainRetryAfter(Duration drainRetryAfter) {
        this.drainRetryAfter = drainRetryAfter;
    }

    /**
     * @return concurrency limits of single models (by model label value), on top of max-concurrency: a map, or "model=limit,model=limit"
     */
    public Map<String, Integer> getPerModelMaxConcurrency() {
        return perModelMaxConcurrency;
    }

    /**
     * @param perModelMaxConcurrency concurrency limits of single models (by model label value), on top of max-concurrency: a map, or "model=limit,model=limit"
     */
    public void setPerModelMaxConcurrency(Map<String, Integer> perModelMaxConcurrency) {
        this.perModelMaxConcurrency = perModelMaxConcurrency;
    }

    /**
     * @return the core's admission limits
     * @throws dev.llmautoscale.settings.InvalidSettingsException naming each bad property
     */
    public AdmissionLimits toAdmissionLimits() {
        return AdmissionLimits.builder()
                .enabled(enabled)
                .maxConcurrency(maxConcurrency)
                .queueCapacity(queueCapacity)
                .maxQueueWait(maxQueueWait)
                .retryAfter(retryAfter)
                .drainRetryAfter(drainRetryAfter)
                .perModelMaxConcurrency(perModelMaxConcurrency)
                .build();
    }

}
