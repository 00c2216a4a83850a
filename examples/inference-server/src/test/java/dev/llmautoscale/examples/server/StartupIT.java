package dev.llmautoscale.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.examples.deploy.Exposition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Startup: /ready is 503 until the simulated model load (a warm-up hook) finishes, then 200. */
class StartupIT {

    @Test
    void readyIs503UntilEveryModelIsLoadedThen200() throws Exception {
        // Two models in one process (the guide's multi-model case), 2 s of simulated load each, loaded in turn.
        try (ServerProcess s = ServerProcess.start("startup",
                Map.of("MODEL_NAME", "llama-13b,llama-70b", "MODEL_LOAD_SECONDS", "2", "DECODE_MS_PER_TOKEN", "5"))) {
            ServerProcess.Answer ready = s.get("/ready");
            assertThat(ready.status()).as(ready.body()).isEqualTo(503);
            assertThat(ready.body()).contains("\"ready\":false").containsAnyOf("warming up", "warm-up has not run");
            // Alive while loading: a slow load must never fail liveness.
            assertThat(s.get("/health").status()).isEqualTo(200);
            ServerProcess.Answer early = s.post("/v1/completions", "{\"model\":\"llama-13b\",\"prompt\":\"hi\"}");
            assertThat(early.status()).isEqualTo(503);
            assertThat(early.body()).contains("model_loading");

            List<Integer> seen = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int status;
            do {
                status = s.get("/ready").status();
                seen.add(status);
                if (status != 200) {
                    Thread.sleep(50);
                }
            } while (status != 200 && System.nanoTime() < deadline);
            double readyAfter = (System.nanoTime() - s.startNanos) / 1e9;
            assertThat(status).as("ready within 60 s; output:\n" + s.output()).isEqualTo(200);
            assertThat(seen.subList(0, seen.size() - 1)).isNotEmpty().containsOnly(503);
            assertThat(readyAfter).as("ready only after both 2 s loads").isGreaterThanOrEqualTo(4.0);
            assertThat(s.get("/ready").body()).contains("\"state\":\"ready\"", "\"ready\":true");
            // The log tells the loads were simulated, and in which order things happened.
            String out = s.output();
            assertThat(out).contains("[SIMULATED] Loading model 'llama-13b'", "[SIMULATED] Loading model 'llama-70b'");
            assertThat(out.indexOf("[SIMULATED] Model 'llama-70b' loaded")).isPositive()
                    .isLessThan(out.indexOf("Lifecycle: WARMING_UP -> READY"));

            for (String model : List.of("llama-13b", "llama-70b")) {
                ServerProcess.Answer ok = s.post("/v1/completions",
                        "{\"model\":\"" + model + "\",\"prompt\":\"abcdabcd\",\"max_tokens\":4}");
                assertThat(ok.status()).as(ok.body()).isEqualTo(200);
                assertThat(ok.body()).contains("\"model\":\"" + model + "\"", "\"completion_tokens\":4");
            }
            assertThat(s.get("/v1/models").body()).contains("\"id\":\"llama-13b\"", "\"id\":\"llama-70b\"",
                    "\"simulated\":true", "\"loaded\":true");

            String scrape = s.scrape();
            assertThat(Exposition.value(scrape, "llm_warmup_duration_seconds{hook=\"load-model/llama-13b\"}"))
                    .isGreaterThanOrEqualTo(2.0);
            assertThat(Exposition.value(scrape, "llm_warmup_duration_seconds{hook=\"load-model/llama-70b\"}"))
                    .isGreaterThanOrEqualTo(2.0);
            assertThat(Exposition.value(scrape, "llm_lifecycle_state{state=\"ready\"}")).isEqualTo(1.0);
            for (String model : List.of("llama-13b", "llama-70b")) {
                assertThat(Exposition.value(scrape,
                        "llm_inference_requests_total{model=\"" + model + "\",status=\"success\"}")).isEqualTo(1.0);
            }
            // No GPU and no driver here: one WARN, and no GPU family at all (never a misleading 0).
            assertThat(out).contains("GPU metrics disabled");
            assertThat(Exposition.sampleNames(scrape)).noneMatch(n -> n.startsWith("llm_gpu_")
                    || n.startsWith("nvidia_gpu_"));
        }
    }
}
