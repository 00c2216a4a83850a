package dev.llmautoscale.testing;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.admission.AdmissionLimits;
import dev.llmautoscale.gpu.GpuTelemetryOptions;
import dev.llmautoscale.metrics.InferenceMetricsConfig;
import dev.llmautoscale.metrics.InferenceStatus;
import dev.llmautoscale.admission.RejectionReason;
import dev.llmautoscale.metrics.LoadSnapshot;
import dev.llmautoscale.metrics.MetricNames;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** A wired LlmAutoscale on a Prometheus registry, with helpers to read what it recorded. */
public final class Fixture {

    public final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    public final LlmAutoscale autoscale;

    public Fixture(AdmissionLimits limits, InferenceMetricsConfig metrics) {
        autoscale = LlmAutoscale.builder(registry)
                .admission(limits)
                .metrics(metrics)
                .gpu(GpuTelemetryOptions.defaults().withEnabled(false))
                .build();
    }

    public Fixture(AdmissionLimits limits) {
        this(limits, InferenceMetricsConfig.defaults());
    }

    public Fixture() {
        this(AdmissionLimits.disabled());
    }

    /** The load row of a model label value; fails when no request of it was seen. */
    public LoadSnapshot.ModelLoad modelLoad(String name) {
        return autoscale.load().model(name).orElseThrow(() -> new AssertionError("no model '" + name + "' seen"));
    }

    public long rejections(String model, RejectionReason reason) {
        io.micrometer.core.instrument.Counter c = registry.find(MetricNames.REJECTIONS)
                .tag("model", model).tag("reason", reason.label()).counter();
        return c == null ? 0 : (long) c.count();
    }

    public long overflow() {
        return (long) registry.get(MetricNames.MODEL_LABEL_OVERFLOW).counter().count();
    }

    /** Reads the counter from the registry, so that looking does not pass through the cardinality guard. */
    public long count(String model, InferenceStatus status) {
        io.micrometer.core.instrument.Counter c = registry.find(dev.llmautoscale.metrics.MetricNames.REQUESTS)
                .tag("model", model).tag("status", status.label()).counter();
        return c == null ? 0 : (long) c.count();
    }

    public double gauge(String name) {
        return registry.get(name).gauge().value();
    }

    public long timerCount(String name, String model) {
        return registry.get(name).tag("model", model).timer().count();
    }

    public Exposition scrape() {
        return Exposition.parse(registry.scrape());
    }
}
