package dev.llmautoscale.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.examples.deploy.Exposition;
import dev.llmautoscale.examples.deploy.FakeGpu;
import dev.llmautoscale.examples.deploy.ManifestMetrics;
import dev.llmautoscale.examples.deploy.Manifests;
import dev.llmautoscale.testsupport.Promtool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

/**
 * The Spring Boot example on random ports, over real HTTP: readiness follows the simulated model load, a completion
 * and a streamed chat completion are served, and the Prometheus scrape on the metrics port has the guide's families
 * (promtool finds nothing to say), the counters of those requests, the GPU families from the fake NVML driver, and
 * every name the deploy/ manifests query.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "MODEL_NAME=llama-13b,llama-70b", "MODEL_LOAD_SECONDS=1.5", "DECODE_MS_PER_TOKEN=5",
        "MAX_CONCURRENT_REQUESTS=4", "QUEUE_CAPACITY=2", "PRE_DRAIN_DELAY_SECONDS=0", "DRAIN_TIMEOUT_SECONDS=5"})
class SpringBootServerTest {

    /** Holds warm-up open until the test has seen the server unready, however slowly this machine runs. */
    static final CountDownLatch WARM_UP_GATE = new CountDownLatch(1);

    @TestConfiguration
    static class HoldWarmUp {
        @Bean
        Object holdWarmUpUntilTheTestLetsGo(LlmAutoscale autoscale) {
            // added while the context is built, before the starter runs warm-up when the context starts
            autoscale.lifecycle().addWarmupHook("test-gate", Duration.ofMinutes(2),
                    () -> assertThat(WARM_UP_GATE.await(2, TimeUnit.MINUTES)).isTrue());
            return "warm-up gate";
        }
    }

    static {
        // Before the context starts: the NVML module opens the fake driver (surefire points it there).
        FakeGpu.writeControl();
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Value("${llm.autoscale.admission.max-concurrency}")
    int maxConcurrency;

    private HttpResponse<String> get(int p, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesCompletionsAndExportsTheGuidesMetrics() throws Exception {
        assertThat(maxConcurrency).as("MAX_CONCURRENT_REQUESTS mapped onto the starter's property").isEqualTo(4);

        // Warm-up (two simulated loads of 1.5 s, and the test's gate) has not finished: not ready, liveness fine.
        HttpResponse<String> ready = get(port, "/ready");
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
        assertThat(get(managementPort, "/health/readiness").statusCode()).isEqualTo(503);
        assertThat(get(managementPort, "/health/liveness").statusCode()).isEqualTo(200);
        WARM_UP_GATE.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (get(port, "/ready").statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(get(port, "/ready").statusCode()).isEqualTo(200);
        assertThat(get(managementPort, "/health/readiness").statusCode()).isEqualTo(200);

        HttpResponse<String> completion = post("/v1/completions",
                "{\"model\":\"llama-70b\",\"prompt\":\"" + "abcd".repeat(6) + "\",\"max_tokens\":5}");
        assertThat(completion.statusCode()).as(completion.body()).isEqualTo(200);
        assertThat(completion.body()).contains("\"model\":\"llama-70b\"", "\"prompt_tokens\":6",
                "\"completion_tokens\":5", "llm-autoscale-simulated");

        HttpResponse<String> stream = post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}],\"max_tokens\":4,\"stream\":true}");
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<String> events = Arrays.stream(stream.body().split("\n\n")).toList();
        assertThat(events).allSatisfy(e -> assertThat(e).startsWith("data: "));
        assertThat(events.get(events.size() - 1)).isEqualTo("data: [DONE]");
        assertThat(stream.body()).contains("\"model\":\"llama-13b\"", "chat.completion.chunk");

        assertThat(get(port, "/active_requests").body().trim()).isEqualTo("0");
        assertThat(get(port, "/autoscaling").body()).contains("\"maxConcurrency\":4", "\"llama-70b\"");
        assertThat(get(port, "/v1/models").body()).contains("\"simulated\":true");

        HttpResponse<String> metrics = get(managementPort, "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        String scrape = metrics.body();
        // The guide's five families, with its buckets.
        assertThat(scrape).contains("# TYPE llm_inference_requests_total counter",
                "# TYPE llm_inference_duration_seconds histogram", "# TYPE llm_inference_queue_depth gauge",
                "# TYPE llm_active_requests gauge", "# TYPE llm_gpu_memory_used_bytes gauge");
        for (String le : List.of("0.1", "0.5", "1.0", "2.0", "5.0", "10.0", "30.0", "60.0", "+Inf")) {
            assertThat(Exposition.value(scrape, "llm_inference_duration_seconds_bucket{le=\"" + le
                    + "\",model=\"llama-13b\"}")).as("bucket " + le).isEqualTo(1.0);
        }
        for (String model : List.of("llama-13b", "llama-70b")) {
            assertThat(Exposition.value(scrape, "llm_inference_requests_total{model=\"" + model
                    + "\",status=\"success\"}")).as(model).isEqualTo(1.0);
            assertThat(Exposition.value(scrape, "llm_time_to_first_token_seconds_count{model=\"" + model + "\"}"))
                    .isEqualTo(1.0);
        }
        assertThat(Exposition.value(scrape, "llm_generation_tokens_total{model=\"llama-70b\"}")).isEqualTo(5.0);
        assertThat(Exposition.value(scrape, "llm_generation_tokens_total{model=\"llama-13b\"}")).isEqualTo(4.0);
        assertThat(Exposition.value(scrape, "llm_active_requests")).isZero();
        assertThat(Exposition.value(scrape, "llm_warmup_duration_seconds{hook=\"load-model/llama-70b\"}"))
                .isGreaterThanOrEqualTo(1.5);
        assertThat(Exposition.sampleNames(scrape)).contains("nvidia_gpu_memory_used_bytes",
                "llm_gpu_utilization_percent", "simulated_engine_batch_size");

        // promtool has nothing to say about the library's and the engine's families.
        String ours = Arrays.stream(scrape.split("\n"))
                .filter(l -> l.matches("^(# (HELP|TYPE) )?(llm|nvidia|simulated)_.*"))
                .collect(Collectors.joining("\n", "", "\n"));
        Promtool.Result lint = Promtool.checkMetrics(ours);
        assertThat(lint.exitCode()).as(lint.output()).isZero();
        assertThat(lint.output()).isBlank();

        // The deploy/ manifests work with this server too.
        assertThat(ManifestMetrics.problems(scrape, Manifests.all(), false)).isEmpty();
    }
}
