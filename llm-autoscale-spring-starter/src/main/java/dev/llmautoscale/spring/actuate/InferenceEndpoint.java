package dev.llmautoscale.spring.actuate;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.admission.AdmissionLimits;
import dev.llmautoscale.admission.RejectionReason;
import dev.llmautoscale.gpu.GpuHealth;
import dev.llmautoscale.lifecycle.ProbeResult;
import dev.llmautoscale.metrics.InferenceStatus;
import dev.llmautoscale.metrics.LoadSnapshot;
import dev.llmautoscale.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The Actuator endpoint {@code inference} ({@code /actuator/inference}): the lifecycle state and why the server is
 * not ready, running and queued requests, admission limits, per-model figures, and the GPU source's health. The load
 * figures come from one {@link LoadSnapshot}, the counts from the registry's counters.
 * {@code /actuator/inference/{model}} answers for one model label value.
 */
@Endpoint(id = "inference")
public final class InferenceEndpoint {

    private final LlmAutoscale autoscale;

    /**
     * @param autoscale the instance to describe
     */
    public InferenceEndpoint(LlmAutoscale autoscale) {
        this.autoscale = Objects.requireNonNull(autoscale, "autoscale");
    }

    /**
     * @return the whole picture
     */
    @ReadOperation
    public InferenceDescriptor inference() {
        ProbeResult readiness = autoscale.lifecycle().readiness();
        LoadSnapshot load = autoscale.load();
        Map<String, ModelDescriptor> models = new LinkedHashMap<>();
        for (LoadSnapshot.ModelLoad m : load.models()) {
            models.put(m.model(), describe(m));
        }
        AdmissionLimits limits = autoscale.admissionLimits();
        AdmissionDescriptor admission = new AdmissionDescriptor(limits.enabled(), limits.maxConcurrency(),
                limits.queueCapacity(), limits.maxQueueWait().toMillis(), limits.perModelMaxConcurrency());
        GpuDescriptor gpu = autoscale.gpu().map(g -> {
            GpuHealth h = g.health();
            return new GpuDescriptor(g.name(), h.healthy(), h.details());
        }).orElse(null);
        Counter overflow = autoscale.registry().find(MetricNames.MODEL_LABEL_OVERFLOW).counter();
        return new InferenceDescriptor(load.state().label(), readiness.ok(), readiness.reasons(),
                autoscale.lifecycle().isAcceptingWork(), load.running(), load.queued(), admission, models,
                overflow == null ? 0 : (long) overflow.count(), gpu);
    }

    /**
     * @param model a model label value (as reported, for example {@code other} or {@code default})
     * @return the model's figures, or {@code null} (HTTP 404) when no such label value exists
     */
    @ReadOperation
    public @Nullable ModelDescriptor model(@Selector String model) {
        return autoscale.load().model(model).map(this::describe).orElse(null);
    }

    private ModelDescriptor describe(LoadSnapshot.ModelLoad m) {
        MeterRegistry registry = autoscale.registry();
        Map<String, Long> requests = new LinkedHashMap<>();
        for (InferenceStatus s : InferenceStatus.values()) {
            requests.put(s.label(), count(registry.find(MetricNames.REQUESTS).tag(MetricNames.TAG_MODEL, m.model())
                    .tag(MetricNames.TAG_STATUS, s.label()).counter()));
        }
        Map<String, Long> rejections = new LinkedHashMap<>();
        for (RejectionReason r : RejectionReason.values()) {
            rejections.put(r.label(), count(registry.find(MetricNames.REJECTIONS).tag(MetricNames.TAG_MODEL,
                    m.model()).tag(MetricNames.TAG_REASON, r.label()).counter()));
        }
        return new ModelDescriptor(m.running(), m.queued(), finiteOrNull(m.capacityUtilization()),
                finiteOrNull(m.kvCacheUtilization()), requests, rejections);
    }

    private static long count(@Nullable Counter c) {
        return c == null ? 0 : (long) c.count();
    }

    private static @Nullable Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /**
     * The endpoint's answer.
     *
     * @param state the lifecycle state: starting, warming_up, ready, draining, stopped
     * @param ready whether the server is ready
     * @param reasons why not
     * @param acceptingWork whether new inferences are admitted (false once a drain refuses work)
     * @param running running inferences, all models
     * @param queued inferences waiting for admission, all models
     * @param admission the admission limits
     * @param models figures by model label value
     * @param modelLabelOverflow requests reported as {@code other} by the cardinality guard
     * @param gpu the GPU source, or {@code null} when there is none
     */
    public record InferenceDescriptor(String state, boolean ready, List<String> reasons, boolean acceptingWork,
            int running, int queued, AdmissionDescriptor admission, Map<String, ModelDescriptor> models,
            long modelLabelOverflow, @Nullable GpuDescriptor gpu) {
    }

    /**
     * Admission limits.
     *
     * @param enabled whether requests are limited
     * @param maxConcurrency the global limit, 0 = unlimited
     * @param queueCapacity requests that may wait
     * @param maxQueueWaitMillis the longest wait
     * @param perModelMaxConcurrency per-model limits
     */
    public record AdmissionDescriptor(boolean enabled, int maxConcurrency, int queueCapacity,
            long maxQueueWaitMillis, Map<String, Integer> perModelMaxConcurrency) {
    }

    /**
     * One model label value's figures.
     *
     * @param running inferences running now
     * @param queued inferences waiting for admission now
     * @param capacityUtilization running divided by the concurrency limit, or {@code null} without a limit
     * @param kvCacheUtilization the last reported KV-cache utilization, or {@code null}
     * @param requests finished and refused requests by status
     * @param rejections refused requests by reason
     */
    public record ModelDescriptor(int running, int queued, @Nullable Double capacityUtilization,
            @Nullable Double kvCacheUtilization,
            Map<String, Long> requests, Map<String, Long> rejections) {
    }

    /**
     * The GPU source.
     *
     * @param source its name, such as {@code nvml}
     * @param healthy whether every visible device answers
     * @param details why not
     */
    public record GpuDescriptor(String source, boolean healthy, List<String> details) {
    }
}
