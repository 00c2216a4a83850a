package dev.llmautoscale.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.admission.AdmissionLimits;
import dev.llmautoscale.admission.AdmissionRejectedException;
import dev.llmautoscale.testing.Exposition;
import dev.llmautoscale.testing.FixedGpuTelemetry;
import dev.llmautoscale.testsupport.Promtool;
import dev.llmautoscale.tracking.InferenceSpan;
import dev.llmautoscale.tracking.InferenceTracker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every family the core emits, populated, passes {@code promtool check metrics} (Prometheus' own linter). */
class PromtoolCheckTest {

    @Test
    void fullScrapePassesPromtool() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        LlmAutoscale autoscale = LlmAutoscale.builder(registry)
                .gpuTelemetry(new FixedGpuTelemetry(8e9))
                .metrics(InferenceMetricsConfig.builder().maxModels(2).build())
                .admission(AdmissionLimits.builder().enabled(true).maxConcurrency(1).queueCapacity(0)
                        .perModelMaxConcurrency(Map.of("llama-13b", 1)).build())
                .build();
        autoscale.lifecycle().addWarmupHook("load-model", Duration.ofSeconds(10), () -> { });
        assertThat(autoscale.lifecycle().warmUp()).isTrue();
        InferenceTracker tracker = autoscale.tracker();
        try (InferenceSpan span = tracker.start("llama-13b")) {
            span.promptTokens(12).tokens(1).tokens(5);
            assertThatThrownBy(() -> tracker.start("llama-13b")).isInstanceOf(AdmissionRejectedException.class)
                    .extracting(e -> ((AdmissionRejectedException) e).reason().label()).isEqualTo("queue_full");
            span.success();
        }
        tracker.start("mistral-7b").cancel();
        tracker.start("third-model-beyond-the-bound").close();
        tracker.kvCacheUtilization("llama-13b", 0.42);

        String scrape = registry.scrape();
        Exposition parsed = Exposition.parse(scrape);
        assertThat(parsed.families().keySet()).containsAll(Set.of(
                "llm_inference_requests_total", "llm_inference_duration_seconds", "llm_inference_queue_depth",
                "llm_gpu_memory_used_bytes", "llm_active_requests", "llm_request_queue_time_seconds",
                "llm_time_to_first_token_seconds", "llm_time_per_output_token_seconds", "llm_prompt_tokens_total",
                "llm_generation_tokens_total", "llm_requests_waiting", "llm_requests_running",
                "llm_capacity_utilization_ratio", "llm_kv_cache_utilization_ratio", "llm_requests_rejected_total",
                "llm_warmup_duration_seconds", "llm_lifecycle_state", "llm_model_label_overflow_total"));
        assertThat(parsed.family("llm_model_label_overflow_total").samples.values()).containsExactly(1.0);
        // the rejection series exist from the start (at 0), so check the values, not the presence
        Map<String, Double> rejected = parsed.family("llm_requests_rejected_total").samples;
        assertThat(rejected).containsEntry(
                "llm_requests_rejected_total{model=\"llama-13b\",reason=\"queue_full\"}", 1.0);
        assertThat(rejected).containsEntry(
                "llm_requests_rejected_total{model=\"llama-13b\",reason=\"queue_timeout\"}", 0.0);
        assertThat(parsed.family("llm_inference_requests_total").samples).containsEntry(
                "llm_inference_requests_total{model=\"llama-13b\",status=\"rejected\"}", 1.0).containsEntry(
                "llm_inference_requests_total{model=\"llama-13b\",status=\"success\"}", 1.0).containsEntry(
                "llm_inference_requests_total{model=\"mistral-7b\",status=\"cancelled\"}", 1.0).containsEntry(
                "llm_inference_requests_total{model=\"other\",status=\"error\"}", 1.0);

        Promtool.Result result = Promtool.checkMetrics(scrape);
        assertThat(result.exitCode()).as("promtool check metrics output:%n%s", result.output()).isZero();
        assertThat(result.output().trim()).as("promtool lint findings").isEmpty();
    }

    @Test
    void promtoolRejectsABrokenExposition() throws Exception {
        // Proves the check above can fail: a counter without _total and a malformed line.
        Promtool.Result result = Promtool.checkMetrics(List.of(
                "# HELP requests Requests", "# TYPE requests counter", "requests 1", "").stream()
                .reduce((a, b) -> a + "\n" + b).orElseThrow());
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("_total");
    }
}
