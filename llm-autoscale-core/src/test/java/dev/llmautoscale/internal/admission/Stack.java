package dev.llmautoscale.internal.admission;

import dev.llmautoscale.admission.AdmissionLimits;
import dev.llmautoscale.admission.RejectionReason;
import dev.llmautoscale.internal.lifecycle.DefaultInferenceLifecycle;
import dev.llmautoscale.internal.metrics.InferenceMetrics;
import dev.llmautoscale.internal.tracking.DefaultInferenceTracker;
import dev.llmautoscale.metrics.InferenceMetricsConfig;
import dev.llmautoscale.metrics.InferenceStatus;
import dev.llmautoscale.metrics.LoadSnapshot;
import dev.llmautoscale.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** The internal parts wired as {@code LlmAutoscale} wires them, with every refusal the queue decides recorded. */
final class Stack implements AutoCloseable {

    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final List<Refusal> refusals = new CopyOnWriteArrayList<>();
    final AdmissionController admission;
    final InferenceMetrics metrics;
    final DefaultInferenceLifecycle lifecycle;
    final DefaultInferenceTracker tracker;

    Stack(AdmissionLimits limits) {
        admission = new AdmissionController(limits, refusals::add);
        metrics = new InferenceMetrics(registry, InferenceMetricsConfig.defaults(), admission);
        lifecycle = new DefaultInferenceLifecycle(() -> metrics.snapshot(lifecycle().state()));
        tracker = new DefaultInferenceTracker(metrics, admission, lifecycle);
    }

    private DefaultInferenceLifecycle lifecycle() {
        return lifecycle;
    }

    LoadSnapshot load() {
        return metrics.snapshot(lifecycle.state());
    }

    LoadSnapshot.ModelLoad model(String name) {
        return load().model(name).orElseThrow(() -> new AssertionError("no model '" + name + "'"));
    }

    long count(String model, InferenceStatus status) {
        Counter c = registry.find(MetricNames.REQUESTS).tag("model", model).tag("status", status.label()).counter();
        return c == null ? 0 : (long) c.count();
    }

    long rejections(String model, RejectionReason reason) {
        Counter c = registry.find(MetricNames.REJECTIONS).tag("model", model).tag("reason", reason.label())
                .counter();
        return c == null ? 0 : (long) c.count();
    }

    long queueTimeCount(String model) {
        return registry.get(MetricNames.QUEUE_TIME).tag("model", model).timer().count();
    }

    /** Every slot back, nobody queued, nothing running. */
    void assertIdle() {
        LoadSnapshot load = load();
        if (load.queued() != 0 || load.running() != 0 || admission.globalTaken() != 0) {
            throw new AssertionError("not idle: " + load + ", global slots taken " + admission.globalTaken());
        }
        for (Lane l : admission.lanes()) {
            if (l.queued() != 0 || l.running() != 0 || l.head != null || l.tail != null) {
                throw new AssertionError("lane " + l.label() + " not idle: queued " + l.queued() + ", running "
                        + l.running());
            }
        }
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not reached within 30 s");
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    @Override
    public void close() {
        admission.close();
    }
}
