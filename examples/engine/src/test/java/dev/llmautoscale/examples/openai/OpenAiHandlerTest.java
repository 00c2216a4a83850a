package dev.llmautoscale.examples.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.examples.engine.EngineConfig;
import dev.llmautoscale.examples.engine.SimulatedEngine;
import dev.llmautoscale.gpu.GpuTelemetryOptions;
import dev.llmautoscale.tracking.InferenceSpan;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The protocol on the real engine and the real core tracker, scraped through the Prometheus registry. */
class OpenAiHandlerTest {

    private final JsonMapper json = JsonMapper.builder().build();
    private PrometheusMeterRegistry registry;
    private LlmAutoscale autoscale;
    private SimulatedEngine engine;
    private OpenAiHandler handler;

    /** Captures a response. */
    static final class Captured implements ResponseSink {
        int status;
        String contentType;
        final Map<String, String> headers = new LinkedHashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        int flushes;
        boolean failWrites;

        @Override
        public void header(String name, String value) {
            headers.put(name, value);
        }

        @Override
        public void start(int s, String type) {
            status = s;
            contentType = type;
        }

        @Override
        public OutputStream body() {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (failWrites) {
                        throw new IOException("client went away");
                    }
                    body.write(b, off, len);
                }
            };
        }

        @Override
        public void flush() {
            flushes++;
        }

        String text() {
            return body.toString(StandardCharsets.UTF_8);
        }
    }

    @BeforeEach
    void start() throws Exception {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        autoscale = LlmAutoscale.builder(registry).gpu(GpuTelemetryOptions.defaults().withEnabled(false)).build();
        engine = new SimulatedEngine(List.of("llama-13b", "llama-70b"),
                new EngineConfig(4, 0.01, 2, 0.05, 2048, 1024, Duration.ZERO),
                autoscale.tracker()::kvCacheUtilization);
        engine.loadModel("llama-13b");
        handler = new OpenAiHandler(engine);
    }

    @AfterEach
    void stop() {
        engine.close();
        autoscale.close();
    }

    private CompletionRequest parse(Endpoint e, String body) throws ApiException {
        return handler.parse(e, body.getBytes(StandardCharsets.UTF_8));
    }

    private Captured run(CompletionRequest r) throws IOException {
        Captured c = new Captured();
        try (InferenceSpan span = autoscale.tracker().start(r.model())) {
            handler.complete(r, span, c);
        }
        return c;
    }

    private double scrape(String series) {
        for (String line : registry.scrape().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1));
            }
        }
        return Double.NaN;
    }

    @Test
    void parsesCompletionsAndChat() throws Exception {
        CompletionRequest c = parse(Endpoint.COMPLETIONS,
                "{\"model\":\"llama-13b\",\"prompt\":\"" + "abcd".repeat(25) + "\",\"max_tokens\":7,\"stream\":true,"
                        + "\"stream_options\":{\"include_usage\":true},\"temperature\":0.2}");
        assertThat(c).isEqualTo(new CompletionRequest(Endpoint.COMPLETIONS, "llama-13b", 25, 7, true, true));
        CompletionRequest chat = parse(Endpoint.CHAT_COMPLETIONS,
                "{\"messages\":[{\"role\":\"system\",\"content\":\"abc\"},"
                        + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hello\"}]}],"
                        + "\"max_completion_tokens\":3}");
        // Default model: the first; prompt "abc\nhello" = 9 characters = 3 tokens.
        assertThat(chat).isEqualTo(new CompletionRequest(Endpoint.CHAT_COMPLETIONS, "llama-13b", 3, 3, false, false));
        assertThat(parse(Endpoint.COMPLETIONS, "{\"prompt\":[\"x\"]}").maxTokens())
                .isEqualTo(OpenAiHandler.DEFAULT_MAX_TOKENS);
    }

    @Test
    void refusesBadRequestsWithOpenAiErrors() {
        assertError(Endpoint.COMPLETIONS, "{", 400, null, "not valid JSON");
        assertError(Endpoint.COMPLETIONS, "[1]", 400, null, "must be a JSON object");
        assertError(Endpoint.COMPLETIONS, "{}", 400, "prompt", "'prompt' is required");
        assertError(Endpoint.COMPLETIONS, "{\"prompt\":[\"a\",\"b\"]}", 400, "prompt", "one prompt per request");
        assertError(Endpoint.COMPLETIONS, "{\"prompt\":\"a\",\"max_tokens\":0}", 400, "max_tokens", ">= 1");
        assertError(Endpoint.COMPLETIONS, "{\"prompt\":\"a\",\"max_tokens\":\"5\"}", 400, "max_tokens", "integer");
        assertError(Endpoint.COMPLETIONS, "{\"prompt\":\"a\",\"n\":2}", 400, "n", "'n' must be 1");
        assertError(Endpoint.COMPLETIONS, "{\"prompt\":\"a\",\"stream\":\"yes\"}", 400, "stream", "true or false");
        assertError(Endpoint.COMPLETIONS, "{\"prompt\":\"a\",\"model\":\"gpt-9\"}", 404, "model",
                "'gpt-9' does not exist");
        assertError(Endpoint.COMPLETIONS, "{\"prompt\":\"" + "x".repeat(4000) + "\",\"max_tokens\":100}", 400,
                "max_tokens", "maximum context length is 1024");
        assertError(Endpoint.CHAT_COMPLETIONS, "{\"messages\":[]}", 400, "messages", "non-empty array");
        assertError(Endpoint.CHAT_COMPLETIONS, "{\"messages\":[{\"content\":\"x\"}]}", 400, "messages[0]",
                "string 'role'");
        assertError(Endpoint.COMPLETIONS, "{\"prompt\":\"a\",\"model\":\"llama-70b\"}", 503, null, "still loading");
    }

    private void assertError(Endpoint e, String body, int status, String param, String message) {
        assertThatThrownBy(() -> parse(e, body)).isInstanceOfSatisfying(ApiException.class, x -> {
            assertThat(x.status()).as(body).isEqualTo(status);
            assertThat(x.param()).as(body).isEqualTo(param);
            assertThat(x.getMessage()).as(body).contains(message);
        });
    }

    @Test
    void errorBodiesHaveTheOpenAiShape() throws Exception {
        Captured c = new Captured();
        handler.error(new ApiException(503, "service_unavailable", null, "model_loading", "loading"), c);
        assertThat(c.status).isEqualTo(503);
        assertThat(c.headers).containsEntry("Retry-After", "1");
        JsonNode e = json.readTree(c.text()).get("error");
        assertThat(e.get("message").stringValue()).isEqualTo("loading");
        assertThat(e.get("type").stringValue()).isEqualTo("service_unavailable");
        assertThat(e.get("code").stringValue()).isEqualTo("model_loading");
        assertThat(e.get("param").isNull()).isTrue();
    }

    @Test
    void nonStreamingCompletionCountsTokensAndTimeToFirstToken() throws Exception {
        Captured c = run(parse(Endpoint.COMPLETIONS, "{\"prompt\":\"" + "abcd".repeat(10) + "\",\"max_tokens\":6}"));
        assertThat(c.status).isEqualTo(200);
        assertThat(c.contentType).isEqualTo("application/json");
        JsonNode body = json.readTree(c.text());
        assertThat(body.get("object").stringValue()).isEqualTo("text_completion");
        assertThat(body.get("system_fingerprint").stringValue()).isEqualTo(OpenAiHandler.FINGERPRINT);
        assertThat(body.at("/choices/0/text").stringValue()).isEqualTo(" This is simulated output from the");
        assertThat(body.at("/choices/0/finish_reason").stringValue()).isEqualTo("length");
        assertThat(body.at("/usage/prompt_tokens").intValue()).isEqualTo(10);
        assertThat(body.at("/usage/completion_tokens").intValue()).isEqualTo(6);
        assertThat(scrape("llm_inference_requests_total{model=\"llama-13b\",status=\"success\"}")).isEqualTo(1);
        assertThat(scrape("llm_generation_tokens_total{model=\"llama-13b\"}")).isEqualTo(6);
        assertThat(scrape("llm_prompt_tokens_total{model=\"llama-13b\"}")).isEqualTo(10);
        assertThat(scrape("llm_time_to_first_token_seconds_count{model=\"llama-13b\"}")).isEqualTo(1);
        assertThat(scrape("llm_time_per_output_token_seconds_count{model=\"llama-13b\"}")).isEqualTo(1);
        assertThat(scrape("llm_active_requests")).isZero();
    }

    @Test
    void streamingChatSendsOneEventPerTokenThenUsageThenDone() throws Exception {
        Captured c = run(parse(Endpoint.CHAT_COMPLETIONS, "{\"model\":\"llama-13b\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}],\"max_tokens\":5,\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true}}"));
        assertThat(c.status).isEqualTo(200);
        assertThat(c.contentType).isEqualTo("text/event-stream");
        assertThat(c.headers).containsEntry("Cache-Control", "no-cache");
        String text = c.text();
        assertThat(text).endsWith("data: [DONE]\n\n");
        List<String> events = Arrays.stream(text.split("\n\n")).toList();
        assertThat(events).allSatisfy(e -> assertThat(e).startsWith("data: "));
        // Tokens may be coalesced when the reader is slower than the engine; every token is there exactly once.
        StringBuilder content = new StringBuilder();
        List<JsonNode> chunks = events.subList(0, events.size() - 1).stream()
                .map(e -> json.readTree(e.substring(6))).toList();
        for (JsonNode chunk : chunks) {
            assertThat(chunk.get("object").stringValue()).isEqualTo("chat.completion.chunk");
            JsonNode delta = chunk.at("/choices/0/delta");
            if (delta.has("content")) {
                content.append(delta.get("content").stringValue());
            }
        }
        assertThat(chunks.get(0).at("/choices/0/delta/role").stringValue()).isEqualTo("assistant");
        assertThat(content.toString()).isEqualTo(" This is simulated output from");
        JsonNode last = chunks.get(chunks.size() - 2);
        assertThat(last.at("/choices/0/finish_reason").stringValue()).isEqualTo("length");
        JsonNode usage = chunks.get(chunks.size() - 1);
        assertThat(usage.get("choices").size()).isZero();
        assertThat(usage.at("/usage/completion_tokens").intValue()).isEqualTo(5);
        assertThat(usage.at("/usage/prompt_tokens").intValue()).isEqualTo(1);
        assertThat(c.flushes).isGreaterThanOrEqualTo(2);
        assertThat(scrape("llm_generation_tokens_total{model=\"llama-13b\"}")).isEqualTo(5);
        assertThat(scrape("llm_inference_requests_total{model=\"llama-13b\",status=\"success\"}")).isEqualTo(1);
    }

    @Test
    void aClientThatGoesAwayIsCountedCancelledAndLeavesTheEngine() throws Exception {
        CompletionRequest r = parse(Endpoint.COMPLETIONS, "{\"prompt\":\"x\",\"max_tokens\":500,\"stream\":true}");
        Captured c = new Captured();
        c.failWrites = true;
        try (InferenceSpan span = autoscale.tracker().start(r.model())) {
            assertThatThrownBy(() -> handler.complete(r, span, c)).isInstanceOf(IOException.class);
        }
        assertThat(scrape("llm_inference_requests_total{model=\"llama-13b\",status=\"cancelled\"}")).isEqualTo(1);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (engine.batchSize("llama-13b") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(engine.batchSize("llama-13b")).isZero();
        assertThat(scrape("llm_active_requests")).isZero();
    }

    @Test
    void modelsListsEveryModelAsSimulated() throws Exception {
        Captured c = new Captured();
        handler.models(c);
        JsonNode body = json.readTree(c.text());
        assertThat(body.get("object").stringValue()).isEqualTo("list");
        assertThat(body.get("data")).hasSize(2);
        assertThat(body.at("/data/0/id").stringValue()).isEqualTo("llama-13b");
        assertThat(body.at("/data/0/loaded").booleanValue()).isTrue();
        assertThat(body.at("/data/1/loaded").booleanValue()).isFalse();
        assertThat(body.at("/data/1/simulated").booleanValue()).isTrue();
        assertThat(body.at("/data/1/owned_by").stringValue()).contains("SIMULATED");
    }
}
