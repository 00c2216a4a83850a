package dev.llmautoscale.nvml;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where the NVML telemetry reads its environment variables, so that device visibility can be decided (and tested)
 * without touching the process environment.
 *
 * <p>Variables read:
 * <ul>
 *   <li>{@code NVIDIA_VISIBLE_DEVICES} and {@code CUDA_VISIBLE_DEVICES}: which GPUs this process may use (indices,
 *       {@code GPU-}/{@code MIG-} UUIDs or unique UUID prefixes, {@code all}, {@code none}, {@code void}, empty);
 *       see docs/METRICS.md for the exact rules;</li>
 *   <li>{@code CUDA_DEVICE_ORDER}: only to warn when CUDA's ordinals may differ from NVML's;</li>
 *   <li>{@code LLM_AUTOSCALE_NVML_LIBRARY}: a library name or absolute path to load instead of
 *       {@code libnvidia-ml.so.1} / {@code libnvidia-ml.so} ({@code nvml.dll} on Windows).</li>
 * </ul>
 */
@FunctionalInterface
public interface NvmlEnvironment {

    /** Variable naming the NVML library to load instead of the driver's default names. */
    String LIBRARY_VARIABLE = "LLM_AUTOSCALE_NVML_LIBRARY";

    /**
     * The value of a variable.
     *
     * @param name the variable name
     * @return its value, or {@code null} when it is not set
     */
    @Nullable String get(String name);

    /**
     * The process environment ({@link System#getenv(String)}).
     *
     * @return the environment of this process
     */
    static NvmlEnvironment system() {
        return System::getenv;
    }

    /**
     * A fixed environment, for tests and for applications that take these settings from their own configuration.
     *
     * @param variables the variables; absent names read as unset
     * @return an environment answering from a copy of the map
     */
    static NvmlEnvironment of(Map<String, String> variables) {
        Map<String, String> copy = Map.copyOf(Objects.requireNonNull(variables, "variables"));
        return copy::get;
    }
}
