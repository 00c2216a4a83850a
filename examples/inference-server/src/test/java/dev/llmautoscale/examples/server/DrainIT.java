package dev.llmautoscale.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.llmautoscale.examples.deploy.DeploymentScripts;
import dev.llmautoscale.examples.loadgen.Api;
import dev.llmautoscale.examples.loadgen.LoadConfig;
import dev.llmautoscale.examples.loadgen.LoadGenerator;
import dev.llmautoscale.examples.loadgen.LoadReport;
import dev.llmautoscale.examples.loadgen.Outcome;
import dev.llmautoscale.examples.loadgen.RateProfile;
import dev.llmautoscale.examples.loadgen.RequestResult;
import dev.llmautoscale.examples.loadgen.Schedule;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM under load: readiness goes 503 first, requests keep being served during the pre-drain delay, then new ones
 * are refused with 503 while every admitted one completes; the guide's preStop loop and the manifest's preStop both
 * end; the process exits well before its drain timeout.
 */
class DrainIT {

    private static final double PRE_DRAIN = 1.5;
    private static final int DRAIN_TIMEOUT = 20;
    private static final double LINGER = 1.5;

    /** The guide's loop verbatim (port substituted), plus a final exit 1 so that running out of tries shows. */
    static String guideLoop(int port) {
        return "for i in $(seq 1 60); do\n"
                + "  if [ $(curl -s localhost:" + port + "/active_requests) -eq 0 ]; then\n"
                + "    exit 0\n"
                + "  fi\n"
                + "  sleep 1\n"
                + "done\n"
                + "exit 1\n";
    }

    /** Runs a shell script; completes with its exit code and the nanoTime at which it ended. */
    static CompletableFuture<long[]> sh(String script, Map<String, String> env, Path log) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true)
                        .redirectOutput(log.toFile());
                pb.environment().putAll(env);
                Process p = pb.start();
                if (!p.waitFor(90, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return new long[] {-1, System.nanoTime()};
                }
                return new long[] {p.exitValue(), System.nanoTime()};
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void sigtermUnderLoadDrainsWithoutFailingAnAdmittedRequest() throws Exception {
        requireCurl();
        Path logs = Path.of(System.getProperty("server.logs", "target/e2e-logs"));
        Map<String, String> env = Map.of(
                "MAX_CONCURRENT_REQUESTS", "4", "QUEUE_CAPACITY", "8", "MAX_BATCH_SIZE", "4",
                "DECODE_MS_PER_TOKEN", "25", "MODEL_LOAD_SECONDS", "0.5",
                "PRE_DRAIN_DELAY_SECONDS", String.valueOf(PRE_DRAIN),
                "DRAIN_TIMEOUT_SECONDS", String.valueOf(DRAIN_TIMEOUT),
                "SHUTDOWN_LINGER_SECONDS", String.valueOf(LINGER));
        try (ServerProcess s = ServerProcess.start("drain", env)) {
            Readiness.await(s);
            int port = s.port();

            // 4 streamed requests per second for 5 s, each about 1.2 s long.
            LoadConfig config = new LoadConfig(URI.create(s.url()), Api.CHAT, null, true, Duration.ofSeconds(60), 100);
            Schedule load = Schedule.bounded(RateProfile.constant(4).schedule(32, 40), TimeUnit.SECONDS.toNanos(5),
                    100);
            long loadStart = System.nanoTime();
            CompletableFuture<LoadReport> running = CompletableFuture.supplyAsync(() -> {
                try (PrintStream progress = new PrintStream(Files.newOutputStream(logs.resolve("drain-loadgen.log")),
                        true, StandardCharsets.UTF_8)) {
                    return new LoadGenerator(config, progress).run(load);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            // SIGTERM once requests are in flight.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (Integer.parseInt(s.get("/active_requests").body().trim()) < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(Integer.parseInt(s.get("/active_requests").body().trim())).isGreaterThanOrEqualTo(1);
            long sigterm = System.nanoTime();
            s.sigterm();

            // The preStop loops, started as Kubernetes would run them in the container.
            CompletableFuture<long[]> guide = sh(guideLoop(port), Map.of(), logs.resolve("drain-guide-loop.log"));
            CompletableFuture<long[]> manifest = sh(DeploymentScripts.preStop(), Map.of("PORT", String.valueOf(port),
                    "PRE_STOP_SLEEP_SECONDS", "0"), logs.resolve("drain-manifest-prestop.log"));

            // Readiness fails first, while liveness holds and requests are still served.
            long notReady = 0;
            while (System.nanoTime() - sigterm < TimeUnit.SECONDS.toNanos(5)) {
                ServerProcess.Answer r = s.get("/ready");
                if (r.status() == 503) {
                    notReady = System.nanoTime();
                    assertThat(r.body()).contains("draining");
                    break;
                }
                Thread.sleep(10);
            }
            assertThat(notReady).as("/ready turned 503 after SIGTERM").isPositive();
            assertThat(s.get("/health").status()).as("alive while draining").isEqualTo(200);

            LoadReport report = running.get(60, TimeUnit.SECONDS);
            report.writeCsv(logs.resolve("drain-loadgen.csv"));
            assertThat(s.waitForExit(Duration.ofSeconds((long) (PRE_DRAIN + DRAIN_TIMEOUT + LINGER) + 10)))
                    .as("the server exits within its drain budget").isTrue();
            long exited = System.nanoTime();
            double exitAfter = (exited - sigterm) / 1e9;
            // The drain ended when the in-flight work did (seconds), not at its timeout.
            assertThat(exitAfter).as("exit before the pre-drain delay plus the drain timeout")
                    .isLessThan(PRE_DRAIN + DRAIN_TIMEOUT);
            assertThat(s.process.exitValue()).as("exit status after SIGTERM").isEqualTo(143);

            // No request that was admitted failed: every answer is a complete 200 or a 503 refusal.
            for (RequestResult r : report.results()) {
                switch (r.outcome()) {
                    case OK, UNAVAILABLE -> { }
                    case ERROR -> assertThat(r.status()).as("request %d: %s", r.id(), r.error()).isZero();
                    default -> fail("request " + r.id() + " ended " + r.outcome() + ": " + r.error());
                }
                if (r.outcome() == Outcome.ERROR) {
                    // Only a connection the stopped server refused: it was never admitted.
                    assertThat(r.error()).as("request " + r.id()).contains("ConnectException");
                }
                if (r.outcome() == Outcome.UNAVAILABLE) {
                    assertThat(r.error()).contains("draining");
                    assertThat(r.retryAfter()).isEqualTo("5");
                    // Refusals come after readiness failed (the pre-drain delay keeps serving meanwhile).
                    assertThat(loadStart + r.sentNanos() + (long) (r.e2eMillis() * 1e6)).isGreaterThan(notReady);
                }
            }
            long sigtermOffset = sigterm - loadStart;
            assertThat(report.results()).as("served during the pre-drain delay")
                    .anySatisfy(r -> {
                        assertThat(r.sentNanos()).isGreaterThan(sigtermOffset);
                        assertThat(r.outcome()).isEqualTo(Outcome.OK);
                    });
            assertThat(report.count(Outcome.UNAVAILABLE)).as("refused after the delay").isPositive();
            assertThat(report.count(Outcome.OK)).isGreaterThanOrEqualTo(5);

            // Both preStop loops saw 0 in flight and ended, before the server was gone.
            long[] g = guide.get(90, TimeUnit.SECONDS);
            long[] m = manifest.get(90, TimeUnit.SECONDS);
            assertThat(g[0]).as("the guide's loop exit status").isZero();
            assertThat(m[0]).as("the manifest's preStop exit status").isZero();
            assertThat(g[1]).isLessThan(exited);
            assertThat(s.output()).contains("Shutdown: drained in", "Lifecycle: DRAINING -> STOPPED");
            assertThat(s.output()).doesNotContain("drain timed out");
        }
    }

    private static void requireCurl() throws Exception {
        Process p = new ProcessBuilder("/bin/sh", "-c", "command -v curl").start();
        if (p.waitFor() != 0) {
            fail("curl is needed to run the guide's preStop loop against the server: run scripts/install-test-deps.sh");
        }
    }

}
