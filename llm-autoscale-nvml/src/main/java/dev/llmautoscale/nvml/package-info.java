/**
 * GPU telemetry from NVIDIA's NVML through JNA, as the core's {@code GpuTelemetryProvider} (found with
 * {@code ServiceLoader}): the GPUs this container may use ({@code NVIDIA_VISIBLE_DEVICES},
 * {@code CUDA_VISIBLE_DEVICES}, MIG), sampled on one background thread into memory, utilization, temperature and
 * power gauges, with lost devices and failed readings counted and reported to the GPU health.
 */
@NullMarked
package dev.llmautoscale.nvml;

import org.jspecify.annotations.NullMarked;
