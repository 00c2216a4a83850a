package dev.llmautoscale.nvml;

import dev.llmautoscale.gpu.GpuTelemetry;
import dev.llmautoscale.gpu.GpuTelemetryOptions;
import dev.llmautoscale.gpu.GpuTelemetryProvider;
import java.util.Optional;

/**
 * Contributes {@link NvmlGpuTelemetry} to the core's GPU telemetry discovery ({@link GpuTelemetryProvider}) through
 * {@link java.util.ServiceLoader}; it reads the process environment ({@link NvmlEnvironment#system()}).
 */
public final class NvmlGpuTelemetryProvider implements GpuTelemetryProvider {

    /** The priority of this provider: {@value}. */
    public static final int PRIORITY = 100;

    /** Creates the provider (called by {@link java.util.ServiceLoader}). */
    public NvmlGpuTelemetryProvider() {
    }

    @Override
    public int priority() {
        return PRIORITY;
    }

    @Override
    public Optional<GpuTelemetry> open(GpuTelemetryOptions options) {
        return NvmlGpuTelemetry.open(options).map(GpuTelemetry.class::cast);
    }
}
