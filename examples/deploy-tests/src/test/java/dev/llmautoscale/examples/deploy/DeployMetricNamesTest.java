package dev.llmautoscale.examples.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.admission.AdmissionLimits;
import dev.llmautoscale.admission.AdmissionRejectedException;
import dev.llmautoscale.gpu.GpuTelemetryOptions;
import dev.llmautoscale.nvml.NvmlGpuTelemetry;
import dev.llmautoscale.tracking.InferenceSpan;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every metric the manifests read is one the library really exports: the names come from a real scrape of a
 * Prometheus registry fed by the core and by the NVML module (through the real JNA binding, against the fake driver),
 * with legacy exporter names on as in the examples, after requests of every outcome. The inference server's
 * end-to-end test repeats the check against the scrape of the running server.
 */
class DeployMetricNamesTest {

    private static String scrape;

    @BeforeAll
    static void scrapeEverything() throws Exception {
        FakeGpu.writeControl();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AdmissionLimits limits = AdmissionLimits.builder().enabled(true).maxConcurrency(1).queueCapacity(1)
                .maxQueueWait(Duration.ofMillis(500)).build();
        try (LlmAutoscale autoscale = LlmAutoscale.builder(registry).admission(limits)
                .gpu(GpuTelemetryOptions.defaults().withLegacyExporterNames(true)).build()) {
            NvmlGpuTelemetry gpu = (NvmlGpuTelemetry) autoscale.gpu()
                    .orElseGet(() -> fail("the NVML module did not open the fake driver; see the WARN above"));
            gpu.sampleNow();
            autoscale.lifecycle().addWarmupHook("load-model/llama-13b", Duration.ofSeconds(10), () -> { });
            assertThat(autoscale.lifecycle().warmUp()).isTrue();
            var tracker = autoscale.tracker();
            try (InferenceSpan ok = tracker.start("llama-13b")) {
                ok.promptTokens(12).tokens(1).tokens(1);
                tracker.kvCacheUtilization("llama-13b", 0.4);
                ok.success();
            }
            try (InferenceSpan failed = tracker.start("llama-13b")) {
                failed.failure(new IllegalStateException("boom"));
            }
            // Overload: one running, one waiting until it times out, one refused because the queue is full.
            InferenceSpan running = tracker.start("llama-13b");
            CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
                assertThatThrownBy(() -> tracker.start("llama-13b")).isInstanceOf(AdmissionRejectedException.class);
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (autoscale.load().queued() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThatThrownBy(() -> tracker.start("llama-13b")).isInstanceOf(AdmissionRejectedException.class);
            waiter.get(10, TimeUnit.SECONDS);
            running.success();
            running.close();
            autoscale.lifecycle().drain(Duration.ofSeconds(1));
            assertThatThrownBy(() -> tracker.start("llama-13b")).isInstanceOf(AdmissionRejectedException.class);
            scrape = registry.scrape();
        }
    }

    @Test
    void theScrapeHasEveryFamilyTheManifestsNeed() {
        assertThat(Exposition.sampleNames(scrape)).contains("llm_gpu_utilization_percent",
                "nvidia_gpu_memory_used_bytes", "nvidia_gpu_memory_total_bytes", "llm_inference_queue_depth",
                "llm_requests_rejected_total", "llm_gpu_nvml_errors_total");
        for (String reason : List.of("queue_full", "queue_timeout", "draining")) {
            assertThat(Selectors.present(scrape, "llm_requests_rejected_total", "reason", reason)).as(reason).isTrue();
        }
    }

    @Test
    void everyMetricNameInTheManifestsIsInTheScrape() {
        assertNamesAndLabelsIn(scrape, Manifests.all());
    }

    @Test
    void theCheckFailsForANameTheServerDoesNotExport() {
        assertThatThrownBy(() -> assertNamesAndLabelsIn(scrape,
                List.of(scaledObject("sum(vllm:num_requests_waiting)"))))
                .hasMessageContaining("vllm:num_requests_waiting");
        assertThatThrownBy(() -> assertNamesAndLabelsIn(scrape,
                List.of(scaledObject("sum(llm_inference_requests_total{status=\"ok\"})"))))
                .hasMessageContaining("status=\"ok\"");
        assertThatThrownBy(() -> assertNamesAndLabelsIn(scrape,
                List.of(scaledObject("sum(llm_inference_queue_depth{model=\"x\"})"))))
                .hasMessageContaining("llm_inference_queue_depth has no label model");
    }

    private static Manifest scaledObject(String query) {
        Map<String, Object> trigger = Map.of("type", "prometheus", "metadata", Map.of("query", query));
        return new Manifest(Path.of("x.yaml"), 0, Map.of("kind", "ScaledObject", "metadata", Map.of("name", "x"),
                "spec", Map.of("triggers", List.of(trigger))));
    }

    private static void assertNamesAndLabelsIn(String scrape, List<Manifest> manifests) {
        assertThat(ManifestMetrics.problems(scrape, manifests)).as("PromQL of deploy/ against the scrape").isEmpty();
    }
}
