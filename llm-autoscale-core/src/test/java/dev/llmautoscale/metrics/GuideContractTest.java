package dev.llmautoscale.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.testing.Exposition;
import dev.llmautoscale.testing.FixedGpuTelemetry;
import dev.llmautoscale.testsupport.SharedData;
import dev.llmautoscale.tracking.InferenceTracker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The guide's five families, compared with the exposition of the guide's own Python exporter
 * ({@code ../shared/reference/guide-exporter-output.txt}): the same scenario (two successful and one failing
 * llama-13b inference, GPU memory 1234) must give the same names, types, label names and buckets.
 */
class GuideContractTest {

    private static final List<String> GUIDE_FAMILIES = List.of("llm_inference_requests_total",
            "llm_inference_duration_seconds", "llm_inference_queue_depth", "llm_gpu_memory_used_bytes",
            "llm_active_requests");

    @Test
    void fiveGuideFamiliesMatchTheGuideExporter() throws Exception {
        Exposition reference = Exposition.parse(
                Files.readString(SharedData.require("reference/guide-exporter-output.txt")));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        LlmAutoscale autoscale = LlmAutoscale.builder(registry).gpuTelemetry(new FixedGpuTelemetry(1234)).build();
        InferenceTracker tracker = autoscale.tracker();
        tracker.run("llama-13b", () -> { });
        tracker.run("llama-13b", () -> { });
        assertThatThrownBy(() -> tracker.run("llama-13b", () -> {
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class);

        Exposition ours = Exposition.parse(registry.scrape());

        for (String name : GUIDE_FAMILIES) {
            Exposition.Family expected = reference.family(name);
            Exposition.Family actual = ours.family(name);
            assertThat(expected).as("reference family %s", name).isNotNull();
            assertThat(actual).as("our family %s", name).isNotNull();
            assertThat(actual.type).as("type of %s", name).isEqualTo(expected.type);
            assertThat(actual.labelNames).as("label names of %s", name).isEqualTo(expected.labelNames);
            assertThat(actual.buckets).as("buckets of %s", name).isEqualTo(expected.buckets);
        }
        assertThat(ours.family("llm_inference_duration_seconds").buckets)
                .containsExactly(0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, Double.POSITIVE_INFINITY);

        // Same values as the reference for the same scenario.
        assertThat(ours.value("llm_inference_requests_total{model=\"llama-13b\",status=\"success\"}")).isEqualTo(2.0);
        assertThat(ours.value("llm_inference_requests_total{model=\"llama-13b\",status=\"error\"}")).isEqualTo(1.0);
        assertThat(ours.value("llm_inference_duration_seconds_count{model=\"llama-13b\"}")).isEqualTo(3.0);
        assertThat(ours.value("llm_gpu_memory_used_bytes")).isEqualTo(1234.0);
        assertThat(ours.value("llm_active_requests")).isEqualTo(0.0);
        assertThat(ours.value("llm_inference_queue_depth")).isEqualTo(0.0);
    }

    @Test
    void gpuFamilyIsAbsentNotZeroWithoutAGpuSource() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        LlmAutoscale.builder(registry)
                .gpu(dev.llmautoscale.gpu.GpuTelemetryOptions.defaults().withEnabled(false)).build();
        Exposition ours = Exposition.parse(registry.scrape());
        assertThat(ours.family("llm_gpu_memory_used_bytes")).isNull();
        assertThat(ours.family("llm_active_requests")).isNotNull();
        assertThat(ours.family("llm_inference_queue_depth")).isNotNull();
    }

    @Test
    void bucketsAreConfigurable() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        LlmAutoscale autoscale = LlmAutoscale.builder(registry)
                .metrics(InferenceMetricsConfig.builder().durationBuckets(List.of(0.25, 1.0, 4.0))
                        .timeToFirstTokenBuckets(List.of(0.05, 0.2)).build())
                .build();
        autoscale.tracker().start("m").firstToken().success();
        Exposition ours = Exposition.parse(registry.scrape());
        assertThat(ours.family("llm_inference_duration_seconds").buckets)
                .containsExactly(0.25, 1.0, 4.0, Double.POSITIVE_INFINITY);
        assertThat(ours.family("llm_time_to_first_token_seconds").buckets)
                .containsExactly(0.05, 0.2, Double.POSITIVE_INFINITY);
    }

    @Test
    void badBucketsFailWithAClearMessage() {
        assertThatThrownBy(() -> InferenceMetricsConfig.builder().durationBuckets(List.of(1.0, 0.5)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("llm.autoscale.metrics.buckets.duration bucket boundaries must be positive, finite and strictly increasing");
        assertThatThrownBy(() -> InferenceMetricsConfig.builder().queueTimeBuckets(List.of()).build())
                .hasMessageContaining("llm.autoscale.metrics.buckets.queue-time must list at least one bucket boundary");
        assertThatThrownBy(() -> InferenceMetricsConfig.builder().timePerOutputTokenBuckets(List.of(-1.0)).build())
                .hasMessageContaining("llm.autoscale.metrics.buckets.time-per-output-token");
        assertThatThrownBy(() -> InferenceMetricsConfig.builder().maxModels(0).build())
                .hasMessageContaining("llm.autoscale.metrics.max-models must be at least 1");
    }
}
