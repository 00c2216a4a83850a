package dev.llmautoscale.gpu;

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

    /** The default sampling interval: five seconds. */
    public static final Duration DEFAULT_SAMPLING_INTERVAL = Duration.ofSeconds(5);

    /**
     * Validates the arguments.
     *
     * @param enabled whether GPU telemetry should be opened at all
     * @param samplingInterval how often one native sweep reads every device; scrapes read the last sweep
     * @param legacyExporterNames also emit the older NVIDIA exporter names {@code nvidia_gpu_memory_used_bytes} and {@code nvidia_gpu_memory_total_bytes}, so queries written for that exporter keep working
     */
    public GpuTelemetryOptions {
        Objects.requireNonNull(samplingInterval, "samplingInterval");
        if (samplingInterval.isNegative() || samplingInterval.isZero()) {
            throw new IllegalArgumentException("GPU sampling interval must be positive, got " + samplingInterval);
        }
    }

    /**
     * The defaults: enabled, sampling every five seconds, legacy names off.
     *
     * @return the default options
     */
    public static GpuTelemetryOptions defaults() {
        return new GpuTelemetryOptions(true, DEFAULT_SAMPLING_INTERVAL, false);
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
