package dev.llmautoscale.testing;

import dev.llmautoscale.gpu.GpuHealth;
import dev.llmautoscale.gpu.GpuTelemetry;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;

/** A GPU source whose readings the test sets; stands in for NVML, which the nvml module tests for real. */
public class FixedGpuTelemetry implements GpuTelemetry {

    public volatile double usedBytes;
    public volatile boolean lost;
    public volatile boolean closed;

    public FixedGpuTelemetry(double usedBytes) {
        this.usedBytes = usedBytes;
    }

    @Override
    public String name() {
        return "fixed";
    }

    @Override
    public double memoryUsedBytes() {
        return lost ? Double.NaN : usedBytes;
    }

    @Override
    public GpuHealth health() {
        return lost ? GpuHealth.down(List.of("GPU 0 lost: GPU_IS_LOST"), Map.of("devices", 1))
                : GpuHealth.up(Map.of("devices", 1));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        // no per-device meters in this stand-in
    }

    @Override
    public void close() {
        closed = true;
    }
}
