package dev.llmautoscale.internal.metrics;

import dev.llmautoscale.admission.RejectionReason;
import dev.llmautoscale.internal.admission.Lane;
import dev.llmautoscale.metrics.InferenceMetricsConfig;
import dev.llmautoscale.metrics.InferenceStatus;
import dev.llmautoscale.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The meters of one {@code model} label value. Internal: the tracker calls these methods in the right order.
 *
 * <p>Obtained from {@link InferenceMetrics#model(String)}. Every method is lock-free and allocation-free once the
 * meters exist. The running and queued counts are not kept here: the gauges read the model's admission
 * {@link Lane}, the only place those counts live, so they change the moment a request is queued, starts or ends.
 * Every counter series of the model (each status, each rejection reason) is created at 0 with the model, so
 * {@code increase()} and {@code rate()} see its first event.
 */
public final class ModelMetrics {

    private static final InferenceStatus[] STATUSES = InferenceStatus.values();
    private static final RejectionReason[] REASONS = RejectionReason.values();

    private final String label;
    private final MeterRegistry registry;
    private final Counter[] requests = new Counter[STATUSES.length];
    private final Counter[] rejections = new Counter[REASONS.length];
    private final Timer duration;
    private final Timer queueTime;
    private final Timer timeToFirstToken;
    private final Timer timePerOutputToken;
    private final Counter promptTokens;
    private final Counter generationTokens;
    private final Lane lane;
    private final AtomicBoolean kvCacheGaugeRegistered = new AtomicBoolean();
    private volatile double kvCacheUtilization = Double.NaN;
    private final int concurrencyLimit;

    ModelMetrics(String label, MeterRegistry registry, InferenceMetricsConfig config, int concurrencyLimit,
            Lane lane) {
        this.label = label;
        this.registry = registry;
        this.concurrencyLimit = concurrencyLimit;
        this.lane = lane;
        Tags model = Tags.of(MetricNames.TAG_MODEL, label);
        for (InferenceStatus status : STATUSES) {
            requests[status.ordinal()] = Counter.builder(MetricNames.REQUESTS)
                    .description("Total number of inference requests")
                    .tags(model).tag(MetricNames.TAG_STATUS, status.label())
                    .register(registry);
        }
        for (RejectionReason reason : REASONS) {
            rejections[reason.ordinal()] = Counter.builder(MetricNames.REJECTIONS)
                    .description("Inference requests refused by admission control or while draining, by reason")
                    .tags(model).tag(MetricNames.TAG_REASON, reason.label())
                    .register(registry);
        }
        duration = Timer.builder(MetricNames.DURATION)
                .description("Inference request duration in seconds")
                .tags(model)
                .serviceLevelObjectives(slo(config.durationBuckets()))
                .register(registry);
        queueTime = Timer.builder(MetricNames.QUEUE_TIME)
                .description("Time requests waited for admission before running")
                .tags(model)
                .serviceLevelObjectives(slo(config.queueTimeBuckets()))
                .register(registry);
        timeToFirstToken = Timer.builder(MetricNames.TIME_TO_FIRST_TOKEN)
                .description("Time from request arrival to the first output token")
                .tags(model)
                .serviceLevelObjectives(slo(config.timeToFirstTokenBuckets()))
                .register(registry);
        timePerOutputToken = Timer.builder(MetricNames.TIME_PER_OUTPUT_TOKEN)
                .description("Average decode time per output token after the first, per request")
                .tags(model)
                .serviceLevelObjectives(
                        slo(config.timePerOutputTokenBuckets()))
                .register(registry);
        promptTokens = Counter.builder(MetricNames.PROMPT_TOKENS)
                .description("Prompt (input) tokens processed")
                .tags(model).register(registry);
        generationTokens = Counter.builder(MetricNames.GENERATION_TOKENS)
                .description("Generated (output) tokens")
                .tags(model).register(registry);
        Gauge.builder(MetricNames.REQUESTS_WAITING, lane, Lane::queued)
                .description("Requests of this model waiting for admission")
                .tags(model).register(registry);
        Gauge.builder(MetricNames.REQUESTS_RUNNING, lane, Lane::running)
                .description("Requests of this model admitted and running")
                .tags(model).register(registry);
        if (concurrencyLimit > 0) {
            Gauge.builder(MetricNames.CAPACITY_UTILIZATION, this, ModelMetrics::capacityUtilization)
                    .description("Running requests divided by the concurrency limit, 0 to 1")
                    .baseUnit("ratio")
                    .tags(model).register(registry);
        }
    }

    /** Bucket boundaries (seconds, validated by {@link InferenceMetricsConfig}) as Micrometer SLOs. */
    private static Duration[] slo(List<Double> seconds) {
        Duration[] out = new Duration[seconds.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Duration.ofNanos(Math.round(seconds.get(i) * 1e9));
        }
        return out;
    }

    /**
     * The {@code model} label value these meters carry (the raw name, {@code other} or {@code default}).
     *
     * @return the label value
     */
    public String label() {
        return label;
    }

    /**
     * @return the model's admission state, where its running and queued counts live
     */
    public Lane lane() {
        return lane;
    }

    /**
     * Records how long an admitted request waited for admission.
     *
     * @param nanos the wait, 0 when a slot was free
     */
    public void queueTime(long nanos) {
        queueTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * A running request ended (its slot is given back separately, after this).
     *
     * @param status how it ended (not {@link InferenceStatus#REJECTED}: a running request was admitted)
     * @param durationNanos end-to-end duration, queue wait included
     */
    public void finished(InferenceStatus status, long durationNanos) {
        requests[status.ordinal()].increment();
        duration.record(durationNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * A request was refused before it ran; counted as {@code status="rejected"} and by reason.
     *
     * @param reason why
     */
    public void rejected(RejectionReason reason) {
        requests[InferenceStatus.REJECTED.ordinal()].increment();
        rejections[reason.ordinal()].increment();
    }

    /** A request gave up while waiting in the queue; counted as {@code status="cancelled"}. */
    public void abandoned() {
        requests[InferenceStatus.CANCELLED.ordinal()].increment();
    }

    /**
     * Records the time to first token.
     *
     * @param nanos time from arrival to the first token
     */
    public void firstToken(long nanos) {
        timeToFirstToken.record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Records the average time per output token of one request.
     *
     * @param nanos decode time per token after the first
     */
    public void timePerOutputToken(long nanos) {
        timePerOutputToken.record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Counts prompt tokens.
     *
     * @param tokens how many
     */
    public void promptTokens(long tokens) {
        if (tokens > 0) {
            promptTokens.increment(tokens);
        }
    }

    /**
     * Counts generated tokens.
     *
     * @param tokens how many
     */
    public void generationTokens(long tokens) {
        if (tokens > 0) {
            generationTokens.increment(tokens);
        }
    }

    /**
     * Sets the KV-cache utilization the host server reports; the gauge appears on the first call.
     *
     * @param ratio 0 to 1; values outside are clamped, NaN means unknown
     */
    public void kvCacheUtilization(double ratio) {
        kvCacheUtilization = Double.isNaN(ratio) ? Double.NaN : Math.max(0.0, Math.min(1.0, ratio));
        if (!kvCacheGaugeRegistered.get() && kvCacheGaugeRegistered.compareAndSet(false, true)) {
            Gauge.builder(MetricNames.KV_CACHE_UTILIZATION, this, m -> m.kvCacheUtilization)
                    .description("KV-cache blocks in use divided by the KV-cache capacity, 0 to 1")
                    .baseUnit("ratio")
                    .tags(MetricNames.TAG_MODEL, label)
                    .register(registry);
        }
    }

    /**
     * @return requests of this model running now
     */
    public int running() {
        return lane.running();
    }

    /**
     * @return requests of this model waiting for admission now
     */
    public int queued() {
        return lane.queued();
    }

    /**
     * @return the concurrency limit that applies to the model (its own, else the global one), 0 when unlimited
     */
    public int concurrencyLimit() {
        return concurrencyLimit;
    }

    /**
     * @return the last reported KV-cache utilization, or NaN
     */
    public double kvCacheUtilization() {
        return kvCacheUtilization;
    }

    /**
     * @return running requests divided by the concurrency limit (0-1), or NaN without a limit
     */
    public double capacityUtilization() {
        int limit = concurrencyLimit;
        return limit > 0 ? Math.min(1.0, lane.running() / (double) limit) : Double.NaN;
    }

    /**
     * @param status an outcome
     * @return how many requests ended so
     */
    public long count(InferenceStatus status) {
        return (long) requests[status.ordinal()].count();
    }

    /**
     * @param reason a rejection reason
     * @return how many requests were refused for it
     */
    public long rejections(RejectionReason reason) {
        return (long) rejections[reason.ordinal()].count();
    }
}
