package dev.llmautoscale.metrics;

import dev.llmautoscale.gpu.GpuTelemetry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metric contract on a Micrometer {@link MeterRegistry}: the guide's five families plus the LLM families, with
 * a bounded {@code model} label.
 *
 * <p>Model names pass a cardinality guard: with an allow-list only those names get their own label value, otherwise
 * the first {@link InferenceMetricsConfig#maxModels()} distinct names do; every other name (and any name that is too
 * long or holds control characters) is reported as {@value #OTHER_MODEL} and counted in
 * {@code llm_model_label_overflow_total}. Nothing a client sends can create unbounded series.
 */
public final class InferenceMetrics {

    /** The label value for models beyond the cardinality bound. */
    public static final String OTHER_MODEL = "other";
    /** The label value for requests that name no model. */
    public static final String DEFAULT_MODEL = "default";

    private static final Logger log = LoggerFactory.getLogger(InferenceMetrics.class);

    private final MeterRegistry registry;
    private final InferenceMetricsConfig config;
    private final ToIntFunction<String> concurrencyLimits;
    private final ConcurrentHashMap<String, ModelMetrics> models = new ConcurrentHashMap<>();
    private final AtomicInteger distinctModels = new AtomicInteger();
    private final Counter overflow;
    private final AtomicBoolean overflowWarned = new AtomicBoolean();
    private final Object modelsLock = new Object();
    private final Object otherLock = new Object();
    private volatile ModelMetrics[] all = new ModelMetrics[0];
    private volatile ModelMetrics other;

    /**
     * Registers the global meters; per-model meters appear as models are first seen.
     *
     * @param registry where the meters live
     * @param config buckets and label bounds
     * @param concurrencyLimits the concurrency limit of a model label (for the capacity gauge), 0 when unlimited
     */
    public InferenceMetrics(MeterRegistry registry, InferenceMetricsConfig config,
            ToIntFunction<String> concurrencyLimits) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.config = Objects.requireNonNull(config, "config");
        this.concurrencyLimits = Objects.requireNonNull(concurrencyLimits, "concurrencyLimits");
        Gauge.builder(MetricNames.QUEUE_DEPTH, this, InferenceMetrics::queued)
                .description("Number of requests waiting in queue")
                .strongReference(true)
                .register(registry);
        Gauge.builder(MetricNames.ACTIVE_REQUESTS, this, InferenceMetrics::running)
                .description("Number of currently processing requests")
                .strongReference(true)
                .register(registry);
        overflow = Counter.builder(MetricNames.MODEL_LABEL_OVERFLOW)
                .description("Requests whose model name was reported as 'other' by the cardinality guard")
                .register(registry);
        for (String allowed : config.modelAllowList()) {
            create(allowed);
        }
    }

    /**
     * Registers metrics with the default configuration and no concurrency limits.
     *
     * @param registry where the meters live
     */
    public InferenceMetrics(MeterRegistry registry) {
        this(registry, InferenceMetricsConfig.defaults(), model -> 0);
    }

    /**
     * The meters for a model name, through the cardinality guard. Lock-free and allocation-free for names seen
     * before and for names reported as {@value #OTHER_MODEL}.
     *
     * @param model the name a request carries; {@code null} or empty means {@value #DEFAULT_MODEL}
     * @return the meters of its label value
     */
    public ModelMetrics model(String model) {
        String name = model == null || model.isEmpty() ? DEFAULT_MODEL : model;
        ModelMetrics known = models.get(name);
        return known != null ? known : admit(name);
    }

    private ModelMetrics admit(String name) {
        if (!acceptable(name)) {
            return overflow();
        }
        ModelMetrics created = models.computeIfAbsent(name, key -> {
            if (distinctModels.incrementAndGet() > config.maxModels()) {
                distinctModels.decrementAndGet();
                return null;
            }
            return create(key);
        });
        return created != null ? created : overflow();
    }

    private boolean acceptable(String name) {
        if (!config.modelAllowList().isEmpty()) {
            return false; // allow-listed names were created up front, so a miss is not allowed
        }
        if (name.length() > config.maxModelNameLength()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                return false;
            }
        }
        return !OTHER_MODEL.equals(name);
    }

    private ModelMetrics overflow() {
        overflow.increment();
        ModelMetrics o = other;
        if (o == null) {
            synchronized (otherLock) {
                o = other;
                if (o == null) {
                    o = new ModelMetrics(OTHER_MODEL, registry, config, concurrencyLimits.applyAsInt(OTHER_MODEL));
                    synchronized (modelsLock) {
                        publish(o);
                    }
                    other = o;
                }
            }
        }
        if (!overflowWarned.get() && overflowWarned.compareAndSet(false, true)) {
            log.warn("Model label bound reached ({}): further model names are reported as model=\"{}\" "
                    + "(see llm_model_label_overflow_total); configure an allow-list or raise the limit",
                    config.modelAllowList().isEmpty()
                            ? "first " + config.maxModels() + " names"
                            : "allow-list " + config.modelAllowList(),
                    OTHER_MODEL);
        }
        return o;
    }

    private ModelMetrics create(String name) {
        ModelMetrics m = new ModelMetrics(name, registry, config, concurrencyLimits.applyAsInt(name));
        if (config.modelAllowList().contains(name)) {
            models.put(name, m);
        }
        synchronized (modelsLock) {
            publish(m);
        }
        return m;
    }

    private void publish(ModelMetrics m) {
        ModelMetrics[] copy = Arrays.copyOf(all, all.length + 1);
        copy[copy.length - 1] = m;
        all = copy;
    }

    /**
     * Exposes a GPU source as the guide's {@code llm_gpu_memory_used_bytes}. Without a call the family is absent.
     *
     * @param telemetry the source
     */
    public void bindGpu(GpuTelemetry telemetry) {
        Gauge.builder(MetricNames.GPU_MEMORY_USED, telemetry, GpuTelemetry::memoryUsedBytes)
                .description("GPU memory used by model")
                .baseUnit("bytes")
                .strongReference(true)
                .register(registry);
        telemetry.bindTo(registry);
    }

    /**
     * @return requests waiting for admission, over all models
     */
    public int queued() {
        int sum = 0;
        for (ModelMetrics m : all) {
            sum += m.waiting();
        }
        return sum;
    }

    /**
     * @return requests running, over all models
     */
    public int running() {
        int sum = 0;
        for (ModelMetrics m : all) {
            sum += m.running();
        }
        return sum;
    }

    /**
     * The meters of every label value seen so far (including {@value #OTHER_MODEL} once used).
     *
     * @return a snapshot, in order of first use
     */
    public ModelMetrics[] models() {
        return all.clone();
    }

    /**
     * @return requests reported as {@value #OTHER_MODEL} by the cardinality guard
     */
    public long overflowCount() {
        return (long) overflow.count();
    }

    /**
     * @return the configuration
     */
    public InferenceMetricsConfig config() {
        return config;
    }

    /**
     * @return the registry the meters live in
     */
    public MeterRegistry registry() {
        return registry;
    }
}
