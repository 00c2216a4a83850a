package dev.llmautoscale.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.examples.deploy.Exposition;
import dev.llmautoscale.examples.deploy.RepositoryLayout;
import dev.llmautoscale.testsupport.ExternalTools;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * deploy/k6/test.js (the script of the guide's K6 resource) drives the real server: both scenario functions run under
 * Node.js with a stand-in for k6's modules (src/test/resources/k6-shim), and every check of the script passes on the
 * server's answers — the non-streaming completions and the streaming chat completions alike.
 */
class K6ScriptIT {

    private static final String MODEL = "meta-llama/Llama-2-13b-chat-hf";
    private static final int ITERATIONS = 3;
    private static final int MAX_TOKENS = 8;

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(K6ScriptIT.class.getResource("/k6-shim/" + name).toURI());
    }

    private static Path prepare(Path dir) throws IOException, URISyntaxException {
        Path modules = Files.createDirectories(dir.resolve("node_modules/k6"));
        try (Stream<Path> files = Files.list(resource("k6"))) {
            for (Path f : files.toList()) {
                Files.copy(f, modules.resolve(f.getFileName().toString()));
            }
        }
        Files.copy(resource("run.mjs"), dir.resolve("run.mjs"));
        // The script exactly as the ConfigMap carries it (DeployConsistencyTest checks the two are equal).
        Files.copy(RepositoryLayout.deploy().resolve("k6/test.js"), dir.resolve("test.mjs"));
        return dir.resolve("run.mjs");
    }

    @Test
    void bothScenariosOfTheK6ScriptPassEveryCheckAgainstTheServer(@TempDir Path dir) throws Exception {
        Path node = ExternalTools.require("node");
        ExternalTools.require("curl");
        Path run = prepare(dir);
        try (ServerProcess s = ServerProcess.start("k6-script", Map.of("MODEL_NAME", MODEL,
                "MODEL_LOAD_SECONDS", "0", "DECODE_MS_PER_TOKEN", "2"))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (s.get("/ready").status() != 200) {
                assertThat(System.nanoTime() < deadline).as("ready; output:\n" + s.output()).isTrue();
                Thread.sleep(50);
            }
            ProcessBuilder pb = new ProcessBuilder(node.toString(), run.toString()).directory(dir.toFile());
            pb.environment().putAll(Map.of("BASE_URL", s.url(), "MODEL", MODEL, "PROMPT_TOKENS", "16",
                    "MAX_TOKENS", String.valueOf(MAX_TOKENS), "ITERATIONS", String.valueOf(ITERATIONS)));
            pb.redirectError(dir.resolve("stderr.txt").toFile());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String err = Files.readString(dir.resolve("stderr.txt"));
            assertThat(p.exitValue()).as("node run.mjs; stderr:\n" + err).isZero();
            JsonNode result = JsonMapper.builder().build().readTree(out);

            assertThat(result.get("problems")).as(out).isEmpty();
            // The open-model ramp of both scenarios, and 429 counted as an expected answer.
            JsonNode scenarios = result.get("scenarios");
            assertThat(names(scenarios)).containsExactly("completions", "chat_stream");
            for (JsonNode sc : scenarios) {
                assertThat(sc.get("executor").asString()).isEqualTo("ramping-arrival-rate");
            }
            assertThat(result.get("expectedStatuses").toString()).isEqualTo("[200,429]");
            // Every check of the script ran and passed on every answer.
            JsonNode checks = result.get("checks");
            assertThat(names(checks)).containsExactlyInAnyOrder("answered (200 or 429)", "200 has usage",
                    "200 is an event stream", "200 stream ends with [DONE]", "200 stream carries usage");
            for (String name : names(checks)) {
                assertThat(checks.get(name).get("fails").asInt()).as(name + ": " + out).isZero();
                assertThat(checks.get(name).get("passes").asInt()).as(name).isGreaterThanOrEqualTo(ITERATIONS);
            }
            List<String> urls = new ArrayList<>();
            for (JsonNode r : result.get("requests")) {
                assertThat(r.get("status").asInt()).isEqualTo(200);
                urls.add(r.get("url").asString());
            }
            assertThat(urls).hasSize(2 * ITERATIONS).containsOnly(s.url() + "/v1/completions",
                    s.url() + "/v1/chat/completions");
            JsonNode metrics = result.get("metrics");
            assertThat(sum(metrics.get("llm_completion_tokens"))).isEqualTo(2.0 * ITERATIONS * MAX_TOKENS);
            // One SSE chunk per token plus the usage chunk.
            assertThat(sum(metrics.get("llm_streamed_chunks"))).isGreaterThanOrEqualTo(ITERATIONS * MAX_TOKENS);
            assertThat(metrics.get("llm_ms_per_output_token")).hasSize(2 * ITERATIONS);

            assertThat(Exposition.value(s.scrape(),
                    "llm_inference_requests_total{model=\"" + MODEL + "\",status=\"success\"}"))
                    .isEqualTo(2.0 * ITERATIONS);
        }
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.propertyNames().forEach(names::add);
        return names;
    }

    private static double sum(JsonNode samples) {
        double total = 0;
        for (JsonNode v : samples) {
            total += v.asDouble();
        }
        return total;
    }
}
