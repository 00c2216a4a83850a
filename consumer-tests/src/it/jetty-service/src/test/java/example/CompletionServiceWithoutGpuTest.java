package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The service where the NVML module finds no driver (LLM_AUTOSCALE_NVML_LIBRARY names a missing file): it serves
 * a completion and every family but the GPU one, which is absent rather than a misleading 0.
 */
class CompletionServiceWithoutGpuTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void withoutADriverTheGpuFamilyIsAbsentAndTheRestIsServed() throws Exception {
        try (CompletionService service = CompletionService.start(0, () -> { })) {
            URI base = service.uri();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
            while (get(base, "/ready").statusCode() != 200) {
                assertTrue(Instant.now().isBefore(deadline), "llm-autoscale-servlet: /ready never turned 200");
                Thread.sleep(50);
            }
            HttpResponse<String> completion = http.send(HttpRequest.newBuilder(base.resolve("/v1/completions"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"consumer-model\",\"prompt\":\"hi\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, completion.statusCode(), "completion answered " + completion.body());
            HttpResponse<String> scrape = get(base, "/metrics");
            assertEquals(200, scrape.statusCode(), "llm-autoscale-servlet: /metrics answered " + scrape.statusCode());
            String metrics = scrape.body();
            for (String family : List.of("llm_inference_requests_total", "llm_inference_duration_seconds",
                    "llm_inference_queue_depth", "llm_active_requests")) {
                assertTrue(metrics.contains("# TYPE " + family + " "),
                        "llm-autoscale-servlet: /metrics lacks the family " + family + ":\n" + metrics);
            }
            assertFalse(metrics.contains("llm_gpu_memory_used_bytes"),
                    "llm-autoscale-nvml: llm_gpu_memory_used_bytes must be absent when no driver opens:\n" + metrics);
        }
    }

    private HttpResponse<String> get(URI base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
