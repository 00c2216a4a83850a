package dev.llmautoscale.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.examples.deploy.Exposition;
import dev.llmautoscale.examples.deploy.GuidePreStop;
import dev.llmautoscale.testsupport.ExternalTools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The guide's preStop hook verbatim ({@code touch /tmp/shutdown}, then the {@code /active_requests} loop; only the
 * port substituted) against the example server while long requests run: the touch drains the server (the drain
 * trigger file, default {@code /tmp/shutdown}), every request in flight completes with 200, a request after the
 * touch gets 503 with Retry-After and Connection: close, the probes, {@code /active_requests} and {@code /metrics}
 * keep answering, the hook exits 0 once the last request ended, and a SIGTERM afterwards stops the server at once.
 */
class GuidePreStopIT {

    private static final int REQUESTS = 6;

    @Test
    void theGuidesHookDrainsTheServerAndSigtermThenExitsAtOnce() throws Exception {
        ExternalTools.require("curl");
        Path logs = Path.of(System.getProperty("server.logs", "target/e2e-logs"));
        // 4 run, 2 queue; 160 tokens at 25 ms: each request runs for several seconds. The pre-drain delay (5 s) and
        // linger (2 s) are what a SIGTERM would cost a server that had not drained already.
        Map<String, String> env = Map.of("MAX_CONCURRENT_REQUESTS", "4", "QUEUE_CAPACITY", "8",
                "MAX_BATCH_SIZE", "4", "DECODE_MS_PER_TOKEN", "25", "MODEL_LOAD_SECONDS", "0.2",
                "PRE_DRAIN_DELAY_SECONDS", "5", "DRAIN_TIMEOUT_SECONDS", "60", "SHUTDOWN_LINGER_SECONDS", "2");
        try (ServerProcess s = ServerProcess.start("guide-prestop", env)) {
            Readiness.await(s);
            assertThat(s.output()).contains("Drain trigger:");
            GuidePreStop.Run run = GuidePreStop.run(s.port(), "http://127.0.0.1:" + s.metricsPort() + "/metrics",
                    REQUESTS, "{\"prompt\":\"abcdabcd\",\"max_tokens\":160}", logs.resolve("guide-prestop-hook.log"));

            assertThat(run.readyAfterTouch().status()).isEqualTo(503);
            assertThat(run.readyAfterTouch().body()).contains("draining");
            assertThat(run.refused().status()).as(run.refused().body()).isEqualTo(503);
            assertThat(run.refused().headers()).containsKey("retry-after").containsEntry("connection", "close");
            assertThat(run.refused().body()).contains("draining");
            assertThat(run.healthDuringDrain().status()).isEqualTo(200);
            assertThat(run.activeDuringDrain().status()).isEqualTo(200);
            assertThat(Integer.parseInt(run.activeDuringDrain().body().strip())).as("still in flight").isPositive();
            assertThat(run.metricsDuringDrain().status()).isEqualTo(200);
            assertThat(run.scriptAliveDuringDrain()).as("the hook waits while requests run").isTrue();
            assertThat(run.inFlight()).hasSize(REQUESTS).allSatisfy(a -> {
                assertThat(a.status()).as(a.body()).isEqualTo(200);
                assertThat(a.body()).contains("\"completion_tokens\":160");
            });
            assertThat(run.scriptExit()).as(run.scriptOutput()).isZero();
            assertThat(run.scriptEndNanos()).as("the hook ends once the last request has ended, not before")
                    .isGreaterThan(run.lastInFlightEndNanos() - Duration.ofSeconds(1).toNanos());
            String scrape = s.scrape();
            assertThat(Exposition.value(scrape, "llm_requests_rejected_total{model=\"llama-2-13b-chat\","
                    + "reason=\"draining\"}")).isEqualTo(1.0);
            assertThat(Exposition.value(scrape,
                    "llm_inference_requests_total{model=\"llama-2-13b-chat\",status=\"success\"}"))
                    .isEqualTo(REQUESTS);

            // SIGTERM after the hook: no pre-drain delay, no linger — the server stops at once.
            long t0 = System.nanoTime();
            s.sigterm();
            assertThat(s.waitForExit(Duration.ofSeconds(60))).isTrue();
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertThat(s.output()).contains("appeared; draining", "Shutdown: already draining; no pre-drain delay",
                    "stopping at once").doesNotContain("serving for 5000 ms more");
            assertThat(seconds).as("far below the 5 s pre-drain delay + 2 s linger it skipped").isLessThan(5.0);
        }
    }
}
