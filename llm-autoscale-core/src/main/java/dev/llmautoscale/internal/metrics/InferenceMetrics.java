package dev.llmautoscale.internal.metrics;

import dev.llmautoscale.gpu.GpuTelemetry;
import dev.llmautoscale.internal.admission.AdmissionController;
import dev.llmautoscale.internal.admission.Lane;
import dev.llmautoscale.lifecycle.LifecycleState;
import dev.llmautoscale.metrics.InferenceMetricsConfig;
import dev.llmautoscale.metrics.LoadSnapshot;
import dev.llmautoscale.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
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
 *
 * <p>Internal: obtained through {@code LlmAutoscale}. Models known up front (the allow-list, and the models with their
 * own concurrency limit) get their meters, every counter series at 0, when this is built.
 */
public final class InferenceMetrics {

    /** The label value for models beyond the cardinality bound. */
    public static final String OTHER_MODEL = InferenceMetricsConfig.OTHER_MODEL;
    /** The label value for requests that name no model. */
    public static final String DEFAULT_MODEL = InferenceMetricsConfig.DEFAULT_MODEL;

    private static final Logger log = LoggerFactory.getLogger(InferenceMetrics.class);

    private final MeterRegistry registry;
    private final InferenceMetricsConfig config;
    private final AdmissionController admission;
    private final ConcurrentHashMap<String, ModelMetrics> models = new ConcurrentHashMap<>();
    private final AtomicInteger distinctModels = new AtomicInteger();
    private final Counter overflow;
    private final AtomicBoolean overflowWarned = new AtomicBoolean();
    private final Object modelsLock = new Object();
    private final Object otherLock = new Object();
    private volatile ModelMetrics[] all = new ModelMetrics[0];
    private volatile @Nullable ModelMetrics other;

    /**
     * Registers the global meters; per-model meters appear as models are first seen.
     *
     * @param registry where the meters live
     * @param config buckets and label bounds
     * @param admission where each model's running and queued counts live, and its concurrency limit
     */
    public InferenceMetrics(MeterRegistry registry, InferenceMetricsConfig config, AdmissionController admission) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.config = Objects.requireNonNull(config, "config");
        this.admission = Objects.requireNonNull(admission, "admission");
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
        if (admission.limits().enabled()) {
            for (String declared : new java.util.TreeSet<>(admission.limits().perModelMaxConcurrency().keySet())) {
                declare(declared);
            }
        }
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

    /** A model known up front gets its meters now, if the guard gives it a label value of its own. */
    private void declare(String name) {
        if (acceptable(name)) {
            models.computeIfAbsent(name, key -> {
                if (distinctModels.incrementAndGet() > config.maxModels()) {
                    distinctModels.decrementAndGet();
                    return null;
                }
                return create(key);
            });
        }
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
                    o = newModel(OTHER_MODEL);
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
        ModelMetrics m = newModel(name);
        if (config.modelAllowList().contains(name)) {
            models.put(name, m);
        }
        synchronized (modelsLock) {
            publish(m);
        }
        return m;
    }

    private ModelMetrics newModel(String name) {
        Lane lane = admission.lane(name);
        return new ModelMetrics(name, registry, config, admission.limits().limitFor(name), lane);
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
            sum += m.queued();
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
     * The load now, read from the per-model counts: each model's queued count before its running count.
     *
     * @param state the lifecycle state to report
     * @return the snapshot
     */
    public LoadSnapshot snapshot(LifecycleState state) {
        ModelMetrics[] models = all;
        List<LoadSnapshot.ModelLoad> rows = new ArrayList<>(models.length);
        int queued = 0;
        int running = 0;
        double kv = Double.NaN;
        for (ModelMetrics m : models) {
            int q = m.queued(); // queue before running: never a false zero
            int r = m.running();
            int limit = m.concurrencyLimit();
            double k = m.kvCacheUtilization();
            rows.add(new LoadSnapshot.ModelLoad(m.label(), q, r, limit,
                    limit > 0 ? Math.min(1.0, r / (double) limit) : Double.NaN, k));
            queued += q;
            running += r;
            if (!Double.isNaN(k) && (Double.isNaN(kv) || k > kv)) {
                kv = k;
            }
        }
        int capacity = admission.limits().maxConcurrency();
        return new LoadSnapshot(state, queued, running, capacity,
                capacity > 0 ? Math.min(1.0, running / (double) capacity) : Double.NaN, kv, rows);
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
