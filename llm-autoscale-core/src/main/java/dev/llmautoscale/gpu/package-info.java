/**
 * The GPU telemetry SPI: {@link dev.llmautoscale.gpu.GpuTelemetryProvider} (found with {@code ServiceLoader}),
 * {@link dev.llmautoscale.gpu.GpuTelemetry}, its options and health.
 */
@NullMarked
package dev.llmautoscale.gpu;

import org.jspecify.annotations.NullMarked;
