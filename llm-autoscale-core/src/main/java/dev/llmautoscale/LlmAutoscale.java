package dev.llmautoscale;

import dev.llmautoscale.admission.AdmissionLimits;
import dev.llmautoscale.gpu.GpuHealth;
import dev.llmautoscale.gpu.GpuTelemetry;
import dev.llmautoscale.gpu.GpuTelemetryOptions;
import dev.llmautoscale.internal.admission.AdmissionController;
import dev.llmautoscale.internal.gpu.GpuTelemetryLoader;
import dev.llmautoscale.internal.lifecycle.DefaultInferenceLifecycle;
import dev.llmautoscale.internal.metrics.InferenceMetrics;
import dev.llmautoscale.internal.tracking.DefaultInferenceTracker;
import dev.llmautoscale.lifecycle.InferenceLifecycle;
import dev.llmautoscale.metrics.InferenceMetricsConfig;
import dev.llmautoscale.metrics.LoadSnapshot;
import dev.llmautoscale.tracking.InferenceTracker;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

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
 * LoadSnapshot load = autoscale.load();       // queued, running, capacity, per model
 * }</pre>
 *
 * <p>Everything a user calls is reached from here: {@link #tracker()}, {@link #lifecycle()}, {@link #load()}. The
 * classes under {@code dev.llmautoscale.internal} are this library's wiring and are not API.
 */
public final class LlmAutoscale implements AutoCloseable {

    private final MeterRegistry registry;
    private final AdmissionController admission;
    private final InferenceMetrics metrics;
    private final DefaultInferenceLifecycle lifecycle;
    private final DefaultInferenceTracker tracker;
    private final @Nullable GpuTelemetry gpu;

    private LlmAutoscale(Builder b) {
        this.registry = b.registry;
        this.admission = new AdmissionController(b.admission);
        this.metrics = new InferenceMetrics(b.registry, b.metrics, admission);
        this.lifecycle = new DefaultInferenceLifecycle(this::load);
        lifecycle.bindTo(b.registry);
        this.tracker = new DefaultInferenceTracker(metrics, admission, lifecycle);
        GpuTelemetry telemetry = b.gpuTelemetry;
        if (telemetry == null && b.gpuOptions.enabled()) {
            telemetry = GpuTelemetryLoader.load(b.gpuOptions, b.classLoader).orElse(null);
        }
        this.gpu = telemetry;
        GpuTelemetry found = telemetry;
        if (found != null) {
            metrics.bindGpu(found);
            if (b.gpuReadiness) {
                lifecycle.addReadinessCheck("gpu", () -> {
                    GpuHealth h = found.health();
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
     * The load now: lifecycle state, queued and running requests, capacity and KV-cache utilization, overall and per
     * model. The one source of these figures for endpoints, health details and pre-stop hooks.
     *
     * @return an immutable snapshot
     */
    public LoadSnapshot load() {
        return metrics.snapshot(lifecycle.state());
    }

    /**
     * @return the registry every meter of this instance lives in
     */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * @return the admission control settings this instance was built with
     */
    public AdmissionLimits admissionLimits() {
        return admission.limits();
    }

    /**
     * @return the metrics settings (buckets, model label bounds) this instance was built with
     */
    public InferenceMetricsConfig metricsConfig() {
        return metrics.config();
    }

    /**
     * @return the GPU source, or empty when none was found (no GPU, no driver, no NVML module)
     */
    public Optional<GpuTelemetry> gpu() {
        return Optional.ofNullable(gpu);
    }

    /**
     * Removes the shutdown hook, if installed, refuses the requests still waiting for admission, stops the admission
     * timeout thread and closes the GPU source. Meters stay registered; running requests keep their slots.
     */
    @Override
    public void close() {
        lifecycle.removeShutdownHook();
        admission.close();
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
        private @Nullable GpuTelemetry gpuTelemetry;
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
