package dev.llmautoscale;

import dev.llmautoscale.admission.AdmissionController;
import dev.llmautoscale.admission.AdmissionLimits;
import dev.llmautoscale.gpu.GpuHealth;
import dev.llmautoscale.gpu.GpuTelemetry;
import dev.llmautoscale.gpu.GpuTelemetryLoader;
import dev.llmautoscale.gpu.GpuTelemetryOptions;
import dev.llmautoscale.lifecycle.InFlight;
import dev.llmautoscale.lifecycle.InferenceLifecycle;
import dev.llmautoscale.metrics.InferenceMetrics;
import dev.llmautoscale.metrics.InferenceMetricsConfig;
import dev.llmautoscale.tracking.InferenceTracker;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.Optional;

/**
 * One inference server's autoscaling support, wired together: metrics on a Micrometer registry, the tracker,
 * admission control, the lifecycle, and GPU telemetry when a provider (the NVML module) finds a GPU.
 *
 * <pre>{@code
 * LlmAutoscale autoscale = LlmAutoscale.builder(registry)
 *         .admission(AdmissionLimits.builder().enabled(true).maxConcurrency(32).queueCapacity(64).build())
 *         .build();
 * autoscale.lifecycle().addWarmupHook("load-model", Duration.ofMinutes(2), engine::load);
 * autoscale.lifecycle().warmUp();
 * try (InferenceSpan span = autoscale.tracker().start("llama-13b")) {
 *     ...
 *     span.success();
 * }
 * }</pre>
 */
public final class LlmAutoscale implements AutoCloseable {

    private final InferenceMetrics metrics;
    private final AdmissionController admission;
    private final InferenceLifecycle lifecycle;
    private final InferenceTracker tracker;
    private final GpuTelemetry gpu;

    private LlmAutoscale(Builder b) {
        AdmissionLimits limits = b.admission;
        this.metrics = new InferenceMetrics(b.registry, b.metrics, limits::limitFor);
        this.admission = new AdmissionController(limits);
        InferenceMetrics m = metrics;
        this.lifecycle = new InferenceLifecycle(new InFlight() {
            @Override
            public int running() {
                return m.running();
            }

            @Override
            public int queued() {
                return m.queued();
            }
        });
        lifecycle.bindTo(b.registry);
        this.tracker = new InferenceTracker(metrics, admission, lifecycle);
        GpuTelemetry telemetry = b.gpuTelemetry;
        if (telemetry == null && b.gpuOptions.enabled()) {
            telemetry = GpuTelemetryLoader.load(b.gpuOptions, b.classLoader).orElse(null);
        }
        this.gpu = telemetry;
        if (gpu != null) {
            metrics.bindGpu(gpu);
            if (b.gpuReadiness) {
                lifecycle.addReadinessCheck("gpu", () -> {
                    GpuHealth h = gpu.health();
                    return h.healthy() ? Optional.empty() : Optional.of(String.join("; ", h.details()));
                });
            }
        }
    }

    /**
     * Starts configuring.
     *
     * @param registry the registry every meter goes to (a {@code PrometheusMeterRegistry} for a /metrics endpoint)
     * @return a builder
     */
    public static Builder builder(MeterRegistry registry) {
        return new Builder(registry);
    }

    /**
     * @return the tracker, the per-request entry point
     */
    public InferenceTracker tracker() {
        return tracker;
    }

    /**
     * @return the lifecycle: warm-up, readiness, drain
     */
    public InferenceLifecycle lifecycle() {
        return lifecycle;
    }

    /**
     * @return admission control
     */
    public AdmissionController admission() {
        return admission;
    }

    /**
     * @return the meters
     */
    public InferenceMetrics metrics() {
        return metrics;
    }

    /**
     * @return the GPU source, or empty when none was found (no GPU, no driver, no NVML module)
     */
    public Optional<GpuTelemetry> gpu() {
        return Optional.ofNullable(gpu);
    }

    /** Removes the shutdown hook, if installed, and closes the GPU source. Meters stay registered. */
    @Override
    public void close() {
        lifecycle.removeShutdownHook();
        if (gpu != null) {
            gpu.close();
        }
    }

    /** Configures an {@link LlmAutoscale}; every setting has a default. */
    public static final class Builder {
        private final MeterRegistry registry;
        private InferenceMetricsConfig metrics = InferenceMetricsConfig.defaults();
        private AdmissionLimits admission = AdmissionLimits.disabled();
        private GpuTelemetryOptions gpuOptions = GpuTelemetryOptions.defaults();
        private GpuTelemetry gpuTelemetry;
        private boolean gpuReadiness;
        private ClassLoader classLoader = LlmAutoscale.class.getClassLoader();

        private Builder(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /**
         * @param config buckets and model label bounds
         * @return this builder
         */
        public Builder metrics(InferenceMetricsConfig config) {
            this.metrics = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * @param limits admission control settings (default: disabled)
         * @return this builder
         */
        public Builder admission(AdmissionLimits limits) {
            this.admission = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * @param options how GPU telemetry is discovered and sampled (default: enabled, 5 s)
         * @return this builder
         */
        public Builder gpu(GpuTelemetryOptions options) {
            this.gpuOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Uses this GPU source instead of discovering one.
         *
         * @param telemetry the source
         * @return this builder
         */
        public Builder gpuTelemetry(GpuTelemetry telemetry) {
            this.gpuTelemetry = Objects.requireNonNull(telemetry, "telemetry");
            return this;
        }

        /**
         * Makes readiness fail while the GPU source reports a problem (such as a lost GPU). Off by default.
         *
         * @param on whether a GPU problem makes the server unready
         * @return this builder
         */
        public Builder gpuAffectsReadiness(boolean on) {
            this.gpuReadiness = on;
            return this;
        }

        /**
         * @param loader where GPU telemetry providers are looked up
         * @return this builder
         */
        public Builder classLoader(ClassLoader loader) {
            this.classLoader = Objects.requireNonNull(loader, "loader");
            return this;
        }

        /**
         * @return the wired instance
         */
        public LlmAutoscale build() {
            return new LlmAutoscale(this);
        }
    }
}
