package dev.llmautoscale.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.examples.deploy.GuidePreStop;
import dev.llmautoscale.testsupport.ChildProcess;
import dev.llmautoscale.testsupport.ExternalTools;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The guide's preStop hook verbatim (only the port substituted) against the Spring Boot example, run as its own
 * process ({@code java -jar spring-boot-server.jar}) while long requests are in flight: the starter's drain trigger
 * watch drains it on the touch, every request in flight completes with 200, a new request gets 503 with Retry-After
 * and Connection: close, the probes, {@code /active_requests} and the actuator's {@code /metrics} keep answering, the
 * hook exits 0 once the last request ended, and SIGTERM afterwards closes the context without the pre-drain delay.
 */
class SpringGuidePreStopIT {

    private static final int REQUESTS = 6;

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void theGuidesHookDrainsTheSpringExampleAndSigtermThenClosesAtOnce() throws Exception {
        ExternalTools.require("curl");
        String jar = System.getProperty("spring.jar");
        assertThat(jar).as("system property spring.jar (set by failsafe)").isNotNull();
        Path logs = Files.createDirectories(Path.of(System.getProperty("server.logs", "target/e2e-logs")));
        int port = freePort();
        int metricsPort = freePort();
        Map<String, String> env = new HashMap<>(Map.of("PORT", String.valueOf(port),
                "METRICS_PORT", String.valueOf(metricsPort), "MAX_CONCURRENT_REQUESTS", "4", "QUEUE_CAPACITY", "8",
                "MAX_BATCH_SIZE", "4", "DECODE_MS_PER_TOKEN", "25", "MODEL_LOAD_SECONDS", "0.2",
                "PRE_DRAIN_DELAY_SECONDS", "5", "DRAIN_TIMEOUT_SECONDS", "60"));
        try (ChildProcess app = ChildProcess.start("spring-guide-prestop", ChildProcess.javaJar(Path.of(jar)), env,
                Pattern.compile("Started SpringBootServer"), Duration.ofSeconds(120), logs)) {
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode() != 200) {
                assertThat(System.nanoTime() < deadline).as("ready within 60 s; output:\n" + app.output()).isTrue();
                Thread.sleep(50);
            }
            assertThat(app.output()).contains("Drain trigger:");
            GuidePreStop.Run run = GuidePreStop.run(port, "http://127.0.0.1:" + metricsPort + "/metrics", REQUESTS,
                    "{\"prompt\":\"abcdabcd\",\"max_tokens\":160}", logs.resolve("spring-guide-prestop-hook.log"));

            assertThat(run.readyAfterTouch().status()).isEqualTo(503);
            assertThat(run.refused().status()).as(run.refused().body()).isEqualTo(503);
            assertThat(run.refused().headers()).containsKey("retry-after").containsEntry("connection", "close");
            assertThat(run.refused().body()).contains("draining");
            assertThat(run.healthDuringDrain().status()).isEqualTo(200);
            assertThat(run.activeDuringDrain().status()).isEqualTo(200);
            assertThat(Integer.parseInt(run.activeDuringDrain().body().strip())).as("still in flight").isPositive();
            assertThat(run.metricsDuringDrain().status()).isEqualTo(200);
            assertThat(run.metricsDuringDrain().body()).contains("llm_requests_rejected_total");
            assertThat(run.scriptAliveDuringDrain()).as("the hook waits while requests run").isTrue();
            assertThat(run.inFlight()).hasSize(REQUESTS).allSatisfy(a -> {
                assertThat(a.status()).as(a.body()).isEqualTo(200);
                assertThat(a.body()).contains("\"completion_tokens\":160");
            });
            assertThat(run.scriptExit()).as(run.scriptOutput()).isZero();
            assertThat(run.scriptEndNanos()).as("the hook ends once the last request has ended, not before")
                    .isGreaterThan(run.lastInFlightEndNanos() - Duration.ofSeconds(1).toNanos());

            long t0 = System.nanoTime();
            app.sigterm();
            app.awaitExit(Duration.ofSeconds(60));
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertThat(app.output()).contains("appeared; draining", "Shutdown: already draining; no pre-drain delay")
                    .doesNotContain("serving for 5000 ms more");
            assertThat(seconds).as("far below the 5 s pre-drain delay it skipped").isLessThan(5.0);
        }
    }
}
