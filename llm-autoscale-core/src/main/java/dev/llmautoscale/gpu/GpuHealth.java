package dev.llmautoscale.gpu;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The health of a {@link GpuTelemetry} source, for health endpoints and contributors.
 *
 * @param healthy whether every visible device answers
 * @param details human-readable reasons when unhealthy (for example {@code "GPU 0 (GPU-1234...) lost: GPU_IS_LOST"})
 * @param attributes extra facts for health endpoints (device count, driver version, ...); never {@code null}
 */
public record GpuHealth(boolean healthy, List<String> details, Map<String, Object> attributes) {

    /**
     * Validates and copies the arguments.
     *
     * @param healthy whether every visible device answers
     * @param details human-readable reasons when unhealthy (for example {@code "GPU 0 (GPU-1234...) lost: GPU_IS_LOST"})
     * @param attributes extra facts for health endpoints (device count, driver version, ...); never {@code null}
     */
    public GpuHealth {
        details = List.copyOf(Objects.requireNonNull(details, "details"));
        attributes = Map.copyOf(Objects.requireNonNull(attributes, "attributes"));
    }

    /**
     * A healthy status with the given attributes.
     *
     * @param attributes facts to report
     * @return the status
     */
    public static GpuHealth up(Map<String, Object> attributes) {
        return new GpuHealth(true, List.of(), attributes);
    }

    /**
     * An unhealthy status.
     *
     * @param details the reasons
     * @param attributes facts to report
     * @return the status
     */
    public static GpuHealth down(List<String> details, Map<String, Object> attributes) {
        return new GpuHealth(false, details, attributes);
    }
}
