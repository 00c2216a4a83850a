package dev.llmautoscale.gpu;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * A live source of GPU readings (for example NVML), plugged into the core through {@link GpuTelemetryProvider}.
 *
 * <p>The core registers the guide's {@code llm_gpu_memory_used_bytes} gauge on top of {@link #memoryUsedBytes()}
 * only while a telemetry source exists, so the family is absent (not a misleading zero) on machines without a GPU.
 * {@link #bindTo(MeterRegistry)} registers the source's own per-device meters.
 *
 * <p>Contract for implementations: every method is thread-safe, cheap (it reads the last sampled snapshot and never
 * calls native code on the caller's thread) and never throws.
 */
public interface GpuTelemetry extends MeterBinder, AutoCloseable {

    /**
     * A short name of the source, for logs and health details.
     *
     * @return the name, such as {@code "nvml"}
     */
    String name();

    /**
     * Memory in use, in bytes, summed over the devices this process may use, from the latest sample.
     *
     * @return the sum, or {@link Double#NaN} while no valid reading exists (for example after every device was lost)
     */
    double memoryUsedBytes();

    /**
     * The current health of the source.
     *
     * @return healthy, or the reasons it is not (lost device, driver errors)
     */
    GpuHealth health();

    /** Stops sampling and releases native resources. Idempotent; never throws. */
    @Override
    void close();
}
