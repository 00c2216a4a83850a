package dev.llmautoscale.spring.autoconfigure;

import dev.llmautoscale.gpu.GpuKeys;
import dev.llmautoscale.gpu.GpuTelemetryOptions;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.springframework.boot.convert.DurationUnit;

/**
 * {@code llm.autoscale.gpu.*}: GPU telemetry, read by the NVML module when it is on the class path and finds a GPU;
 * bound onto {@link GpuTelemetryOptions} (keys, defaults and validation: {@link GpuKeys}).
 */
public class GpuProperties {

    /** Whether GPU telemetry is opened; off: llm_gpu_memory_used_bytes is absent. */
    private boolean enabled = GpuKeys.ENABLED.defaultValue();

    /** How often one native sweep reads every device; scrapes read the last sweep. */
    @DurationUnit(ChronoUnit.SECONDS)
    private Duration samplingInterval = GpuKeys.SAMPLING_INTERVAL.defaultValue();

    /** Also emit the older NVIDIA exporter names nvidia_gpu_memory_used_bytes and nvidia_gpu_memory_total_bytes (the guide's KEDA query uses them). */
    private boolean legacyExporterNames = GpuKeys.LEGACY_EXPORTER_NAMES.defaultValue();

    /** Whether a GPU problem (such as a lost device) makes the server unready. */
    private boolean affectsReadiness = GpuKeys.AFFECTS_READINESS.defaultValue();

    /**
     * @return whether GPU telemetry is opened; off: llm_gpu_memory_used_bytes is absent
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * @param enabled whether GPU telemetry is opened; off: llm_gpu_memory_used_bytes is absent
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * @return how often one native sweep reads every device; scrapes read the last sweep
     */
    public Duration getSamplingInterval() {
        return samplingInterval;
    }

    /**
     * @param samplingInterval how often one native sweep reads every device; scrapes read the last sweep
     */
    public void setSamplingInterval(Duration samplingInterval) {
        this.samplingInterval = samplingInterval;
    }

    /**
     * @return also emit the older NVIDIA exporter names nvidia_gpu_memory_used_bytes and nvidia_gpu_memory_total_bytes (the guide's KEDA query uses them)
     */
    public boolean isLegacyExporterNames() {
        return legacyExporterNames;
    }

    /**
     * @param legacyExporterNames also emit the older NVIDIA exporter names nvidia_gpu_memory_used_bytes and nvidia_gpu_memory_total_bytes (the guide's KEDA query uses them)
     */
    public void setLegacyExporterNames(boolean legacyExporterNames) {
        this.legacyExporterNames = legacyExporterNames;
    }

    /**
     * @return whether a GPU problem (such as a lost device) makes the server unready
     */
    public boolean isAffectsReadiness() {
        return affectsReadiness;
    }

    /**
     * @param affectsReadiness whether a GPU problem (such as a lost device) makes the server unready
     */
    public void setAffectsReadiness(boolean affectsReadiness) {
        this.affectsReadiness = affectsReadiness;
    }

    /**
     * @return the core's GPU telemetry options
     * @throws dev.llmautoscale.settings.InvalidSettingsException naming each bad property
     */
    public GpuTelemetryOptions toGpuOptions() {
        return new GpuTelemetryOptions(enabled, samplingInterval, legacyExporterNames);
    }

}
