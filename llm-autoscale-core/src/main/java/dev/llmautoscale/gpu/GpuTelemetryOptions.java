package dev.llmautoscale.gpu;

import dev.llmautoscale.settings.Problems;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings a {@link GpuTelemetryProvider} opens its source with.
 *
 * @param enabled whether GPU telemetry should be opened at all
 * @param samplingInterval how often one native sweep reads every device; scrapes read the last sweep
 * @param legacyExporterNames also emit the older NVIDIA exporter names {@code nvidia_gpu_memory_used_bytes} and
 *     {@code nvidia_gpu_memory_total_bytes}, so queries written for that exporter keep working
 */
public record GpuTelemetryOptions(boolean enabled, Duration samplingInterval, boolean legacyExporterNames) {

    /** The default sampling interval ({@link GpuKeys#SAMPLING_INTERVAL}): five seconds. */
    public static final Duration DEFAULT_SAMPLING_INTERVAL = GpuKeys.SAMPLING_INTERVAL.defaultValue();

    /**
     * Validates the arguments ({@link GpuKeys}).
     *
     * @throws dev.llmautoscale.settings.InvalidSettingsException when the interval is not positive
     */
    public GpuTelemetryOptions {
        Objects.requireNonNull(samplingInterval, "samplingInterval");
        new Problems().check(GpuKeys.SAMPLING_INTERVAL, samplingInterval).throwIfAny();
    }

    /**
     * The defaults: enabled, sampling every five seconds, legacy names off.
     *
     * @return the default options
     */
    public static GpuTelemetryOptions defaults() {
        return new GpuTelemetryOptions(GpuKeys.ENABLED.defaultValue(), DEFAULT_SAMPLING_INTERVAL,
                GpuKeys.LEGACY_EXPORTER_NAMES.defaultValue());
    }

    /**
     * A copy with another sampling interval.
     *
     * @param interval the new interval
     * @return the copy
     */
    public GpuTelemetryOptions withSamplingInterval(Duration interval) {
        return new GpuTelemetryOptions(enabled, interval, legacyExporterNames);
    }

    /**
     * A copy with the legacy exporter names switched on or off.
     *
     * @param on whether to emit them
     * @return the copy
     */
    public GpuTelemetryOptions withLegacyExporterNames(boolean on) {
        return new GpuTelemetryOptions(enabled, samplingInterval, on);
    }

    /**
     * A copy switched on or off.
     *
     * @param on whether telemetry is enabled
     * @return the copy
     */
    public GpuTelemetryOptions withEnabled(boolean on) {
        return new GpuTelemetryOptions(on, samplingInterval, legacyExporterNames);
    }
}
