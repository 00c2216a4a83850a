package dev.llmautoscale.gpu;

import java.util.Optional;

/**
 * Service-provider interface for GPU telemetry sources, discovered with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.llmautoscale.gpu.GpuTelemetryProvider}). The core itself has no native dependency;
 * the {@code llm-autoscale-nvml} module contributes the NVML implementation.
 */
public interface GpuTelemetryProvider {

    /**
     * Orders providers when several are present: the highest priority that opens a source wins.
     *
     * @return the priority; the NVML provider uses 100
     */
    default int priority() {
        return 0;
    }

    /**
     * Opens the source. Implementations never throw: when there is no GPU, no driver, or the driver fails, they log
     * one clear WARN that explains why and return an empty optional.
     *
     * @param options the settings
     * @return the open source, or empty when none can be used on this machine
     */
    Optional<GpuTelemetry> open(GpuTelemetryOptions options);
}
