package dev.llmautoscale.internal.gpu;

import dev.llmautoscale.gpu.GpuTelemetry;
import dev.llmautoscale.gpu.GpuTelemetryOptions;
import dev.llmautoscale.gpu.GpuTelemetryProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Finds and opens a {@link GpuTelemetry} source through {@link ServiceLoader}. Internal: used by the facade. */
public final class GpuTelemetryLoader {

    private static final Logger log = LoggerFactory.getLogger(GpuTelemetryLoader.class);

    private GpuTelemetryLoader() {
    }

    /**
     * Opens the first source, by descending {@link GpuTelemetryProvider#priority()}, that can be used here.
     *
     * @param options the settings; when not enabled nothing is opened
     * @param classLoader where to look for providers
     * @return the open source, or empty when telemetry is disabled or no provider opens one
     */
    public static Optional<GpuTelemetry> load(GpuTelemetryOptions options, ClassLoader classLoader) {
        if (!options.enabled()) {
            log.info("GPU telemetry disabled by configuration; llm_gpu_memory_used_bytes will be absent");
            return Optional.empty();
        }
        List<GpuTelemetryProvider> providers = new ArrayList<>();
        try {
            ServiceLoader.load(GpuTelemetryProvider.class, classLoader).forEach(providers::add);
        } catch (ServiceConfigurationError e) {
            log.warn("GPU telemetry providers could not be loaded; GPU metrics will be absent: {}", e.toString());
            return Optional.empty();
        }
        providers.sort(Comparator.comparingInt(GpuTelemetryProvider::priority).reversed());
        for (GpuTelemetryProvider provider : providers) {
            try {
                Optional<GpuTelemetry> telemetry = provider.open(options);
                if (telemetry.isPresent()) {
                    log.info("GPU telemetry from {}", telemetry.get().name());
                    return telemetry;
                }
            } catch (RuntimeException | LinkageError e) {
                log.warn("GPU telemetry provider {} failed to open; trying the next one: {}",
                        provider.getClass().getName(), e.toString());
            }
        }
        if (providers.isEmpty()) {
            log.debug("No GPU telemetry provider on the class path; llm_gpu_memory_used_bytes will be absent");
        }
        return Optional.empty();
    }

    /**
     * Like {@link #load(GpuTelemetryOptions, ClassLoader)} with this class's class loader.
     *
     * @param options the settings
     * @return the open source, or empty
     */
    public static Optional<GpuTelemetry> load(GpuTelemetryOptions options) {
        return load(options, GpuTelemetryLoader.class.getClassLoader());
    }
}
