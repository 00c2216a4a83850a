package dev.llmautoscale.spring.app;

import static dev.llmautoscale.spring.app.InferenceTestApp.WAIT_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.llmautoscale.spring.app.InferenceTestApp.Gates;
import dev.llmautoscale.testsupport.Promtool;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The starter in a real Spring Boot application on a random port, with Actuator and the Prometheus registry: the
 * warm-up gates readiness, requests show up under the guide's metric names, and streamed responses record the time to
 * first token.
 */
@SpringBootTest(classes = InferenceTestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "management.endpoints.web.exposure.include=health,prometheus,inference",
            "management.endpoint.health.show-details=always",
            "management.endpoint.health.group.readiness.include=readinessState,llmAutoscale",
            "management.endpoint.health.group.readiness.show-details=always",
            "llm.autoscale.servlet.endpoints.ready=/ready",
            "llm.autoscale.lifecycle.pre-drain-delay=0s"
        })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InferenceAppTest {

    private static final Duration WAIT = Duration.ofSeconds(WAIT_SECONDS);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    Gates gates;

    @Autowired
    ApplicationAvailability availability;

    private Http http;

    @BeforeEach
    void client() {
        http = new Http(port);
    }

    private static String json(String body, String pointer) {
        JsonNode node = JSON.readTree(body).at(pointer);
        assertThat(node.isMissingNode()).as("%s in %s", pointer, body).isFalse();
        return node.asString();
    }

    @Test
    @Order(1)
    void readinessIs503DuringWarmUpThen200() throws Exception {
        // The model is still loading: the app serves, liveness passes, readiness does not.
        assertThat(gates.warmup.getCount()).as("this test runs first, while the model loads").isEqualTo(1);
        assertThat(http.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        await().atMost(WAIT).until(() -> http.get("/actuator/health/readiness").body().contains("running hook"));
        HttpResponse<String> readiness = http.get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(json(readiness.body(), "/components/llmAutoscale/status")).isEqualTo("OUT_OF_SERVICE");
        assertThat(json(readiness.body(), "/components/llmAutoscale/details/reasons/0"))
                .contains("running hook 'load-model'");
        // Spring Boot announced ACCEPTING_TRAFFIC when the application was ready; the starter took it back.
        await().atMost(WAIT).until(() -> availability.getReadinessState() == ReadinessState.REFUSING_TRAFFIC);
        assertThat(json(http.get("/actuator/health/readiness").body(), "/components/readinessState/status"))
                .isEqualTo("OUT_OF_SERVICE");
        HttpResponse<String> bareReady = http.get("/ready");
        assertThat(bareReady.statusCode()).isEqualTo(503);
        assertThat(bareReady.body()).contains("warming_up");

        gates.warmup.countDown();

        await().atMost(WAIT).until(() -> http.get("/actuator/health/readiness").statusCode() == 200);
        assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
        assertThat(http.get("/ready").statusCode()).isEqualTo(200);
        String ready = http.get("/actuator/health/readiness").body();
        assertThat(json(ready, "/components/llmAutoscale/status")).isEqualTo("UP");
        assertThat(json(ready, "/components/readinessState/status")).isEqualTo("UP");
    }

    @Test
    @Order(2)
    void aRequestShowsUpAtActuatorPrometheusWithTheGuidesNames() throws Exception {
        HttpResponse<String> response = http.post("/v1/completions", "llama-13b", "{\"prompt\":\"hi\"}");
        assertThat(response.statusCode()).isEqualTo(200);
        // the model may also come from the JSON body
        assertThat(http.post("/v1/completions", null, "{\"model\":\"mistral-7b\",\"prompt\":\"hi\"}").statusCode())
                .isEqualTo(200);

        String scrape = http.get("/actuator/prometheus").body();
        assertThat(Scrape.value(scrape, "llm_inference_requests_total", "model=\"llama-13b\",status=\"success\""))
                .isEqualTo(1.0);
        assertThat(Scrape.value(scrape, "llm_inference_requests_total", "model=\"mistral-7b\",status=\"success\""))
                .isEqualTo(1.0);
        assertThat(Scrape.value(scrape, "llm_inference_duration_seconds_count", "model=\"llama-13b\""))
                .isEqualTo(1.0);
        for (String le : new String[] {"0.1", "0.5", "1.0", "2.0", "5.0", "10.0", "30.0", "60.0", "+Inf"}) {
            assertThat(Scrape.value(scrape, "llm_inference_duration_seconds_bucket",
                    "model=\"llama-13b\",le=\"" + le + "\"")).as("bucket le=%s", le).isEqualTo(1.0);
        }
        assertThat(Scrape.value(scrape, "llm_inference_queue_depth", "")).isEqualTo(0.0);
        assertThat(Scrape.value(scrape, "llm_active_requests", "")).isEqualTo(0.0);
        assertThat(scrape).contains("# TYPE llm_inference_requests_total counter")
                .contains("# TYPE llm_inference_duration_seconds histogram")
                .contains("# TYPE llm_inference_queue_depth gauge")
                .contains("# TYPE llm_active_requests gauge");
        assertThat(Scrape.value(scrape, "llm_lifecycle_state", "state=\"ready\"")).isEqualTo(1.0);
        Promtool.assertClean(Scrape.llmFamilies(scrape));

        HttpResponse<String> active = http.get("/active_requests");
        assertThat(active.statusCode()).isEqualTo(200);
        assertThat(active.body().trim()).isEqualTo("0");

        HttpResponse<String> inference = http.get("/actuator/inference");
        assertThat(inference.statusCode()).isEqualTo(200);
        assertThat(json(inference.body(), "/state")).isEqualTo("ready");
        assertThat(json(inference.body(), "/ready")).isEqualTo("true");
        assertThat(json(inference.body(), "/models/llama-13b/requests/success")).isEqualTo("1");
        assertThat(json(inference.body(), "/models/llama-13b/running")).isEqualTo("0");
        HttpResponse<String> oneModel = http.get("/actuator/inference/llama-13b");
        assertThat(oneModel.statusCode()).isEqualTo(200);
        assertThat(json(oneModel.body(), "/requests/success")).isEqualTo("1");
        assertThat(http.get("/actuator/inference/no-such-model").statusCode()).isEqualTo(404);
    }

    @Test
    @Order(3)
    void anSseEmitterStreamRecordsTimeToFirstToken() throws Exception {
        HttpResponse<String> response = http.post("/v1/chat/completions", "chat-model", "{\"stream\":true}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("data:{\"delta\":\"Hi\"}").contains("[DONE]");
        await().atMost(WAIT).untilAsserted(() -> {
            String scrape = http.get("/actuator/prometheus").body();
            assertThat(Scrape.value(scrape, "llm_inference_requests_total",
                    "model=\"chat-model\",status=\"success\"")).isEqualTo(1.0);
            assertThat(Scrape.value(scrape, "llm_time_to_first_token_seconds_count", "model=\"chat-model\""))
                    .isEqualTo(1.0);
        });
    }

    @Test
    @Order(4)
    void aFluxStreamFromATrackedServiceRecordsTimeToFirstToken() throws Exception {
        HttpResponse<String> response = http.get("/generate");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("data:Hello").contains("data:world");
        await().atMost(WAIT).untilAsserted(() -> {
            String scrape = http.get("/actuator/prometheus").body();
            assertThat(Scrape.value(scrape, "llm_inference_requests_total",
                    "model=\"flux-model\",status=\"success\"")).isEqualTo(1.0);
            assertThat(Scrape.value(scrape, "llm_time_to_first_token_seconds_count", "model=\"flux-model\""))
                    .isEqualTo(1.0);
            assertThat(Scrape.value(scrape, "llm_generation_tokens_total", "model=\"flux-model\"")).isEqualTo(4.0);
            assertThat(Scrape.value(scrape, "llm_time_per_output_token_seconds_count", "model=\"flux-model\""))
                    .isEqualTo(1.0);
        });
    }
}
