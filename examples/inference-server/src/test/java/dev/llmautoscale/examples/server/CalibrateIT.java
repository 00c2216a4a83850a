package dev.llmautoscale.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmautoscale.examples.loadgen.Api;
import dev.llmautoscale.examples.loadgen.LoadConfig;
import dev.llmautoscale.examples.loadgen.LoadGenerator;
import dev.llmautoscale.examples.loadgen.LoadReport;
import dev.llmautoscale.examples.loadgen.Outcome;
import dev.llmautoscale.examples.loadgen.PoissonSchedule;
import dev.llmautoscale.examples.loadgen.Schedule;
import dev.llmautoscale.simulator.advisor.calibrate.LoadgenRun;
import dev.llmautoscale.simulator.cli.SimulatorCli;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The simulator's {@code calibrate} against the real example server: two load generator runs at two rates (one
 * below capacity, one above), calibrate from the first, {@code run} the second run's arrivals (its CSV replayed as a
 * trace) on one calibrated replica, and compare the predicted p50 / p95 end-to-end latency and 429 count with what
 * the load generator measured. The figures go to {@code target/e2e-logs/calibrate-agreement.txt} (and into
 * docs/SIMULATOR.md by hand).
 */
class CalibrateIT {

    private static final String MODEL = "llama-13b";
    private static final int PROMPT = 64;
    private static final int TOKENS = 24;
    /** Relative tolerance on the latency percentiles. */
    private static final double LATENCY_TOLERANCE = 0.25;

    @Test
    void aFleetCalibratedOnOneRunPredictsAnother() throws Exception {
        Path logs = Path.of(System.getProperty("server.logs", "target/e2e-logs"));
        Files.createDirectories(logs);
        Map<String, String> env = Map.ofEntries(
                Map.entry("MODEL_NAME", MODEL),
                Map.entry("MAX_CONCURRENT_REQUESTS", "8"),
                Map.entry("QUEUE_CAPACITY", "8"),
                Map.entry("MAX_QUEUE_WAIT_SECONDS", "3"),
                Map.entry("MAX_BATCH_SIZE", "4"),
                Map.entry("DECODE_MS_PER_TOKEN", "20"),
                Map.entry("PREFILL_MS_PER_TOKEN", "0.5"),
                Map.entry("BATCH_SLOWDOWN", "0.1"),
                Map.entry("MODEL_LOAD_SECONDS", "0.5"));
        try (ServerProcess s = ServerProcess.start("calibrate", env)) {
            Readiness.await(s);
            Path before = Files.writeString(logs.resolve("calibrate-before.prom"), s.scrape());
            Path runA = logs.resolve("calibrate-a.csv");
            LoadReport a = load(s, 3, 15, 11, logs.resolve("calibrate-a.log"));
            a.writeCsv(runA);
            Path after = Files.writeString(logs.resolve("calibrate-after.prom"), s.scrape());
            Path runB = logs.resolve("calibrate-b.csv");
            LoadReport b = load(s, 10, 15, 12, logs.resolve("calibrate-b.log"));
            b.writeCsv(runB);
            assertThat(a.count(Outcome.TOO_MANY_REQUESTS)).isZero();
            assertThat(b.count(Outcome.TOO_MANY_REQUESTS)).as("run B is above capacity").isPositive();

            Path fleet = logs.resolve("calibrate-fleet.yaml");
            Cli c = cli("calibrate", "--csv", runA.toString(), "--metrics-before", before.toString(),
                    "--metrics-after", after.toString(), "--out", fleet.toString(), "--model", MODEL,
                    "--max-concurrency", "8", "--queue-capacity", "8", "--max-queue-wait", "3",
                    "--max-batch-size", "4");
            assertThat(c.code()).as(c.err()).isZero();
            String fitted = Files.readString(fleet);
            // The fit finds the server's own settings back.
            assertThat(number(fitted, "decodeMsPerToken")).isBetween(16.0, 26.0);
            assertThat(number(fitted, "weightLoad")).isBetween(0.45, 1.5);

            Path trace = Files.writeString(logs.resolve("calibrate-b-trace.yaml"), "type: trace\nformat: loadgen\n"
                    + "file: " + runB.toAbsolutePath() + "\nduration: 60\n");
            Cli r = cli("run", "--replicas", "1", "--fleet", fleet.toString(), "--workload", trace.toString(),
                    "--format", "json");
            assertThat(r.code()).as(r.err()).isZero();
            JsonNode sim = new ObjectMapper().readTree(r.out());
            LoadgenRun measured = LoadgenRun.read(runB);
            double mP50 = measured.e2ePercentile(50);
            double mP95 = measured.e2ePercentile(95);
            long mRejected = measured.rejected();
            double pP50 = sim.at("/latencyMs/e2e/p50").asDouble();
            double pP95 = sim.at("/latencyMs/e2e/p95").asDouble();
            long pRejected = sim.at("/requests/rejected429").asLong();
            String table = String.format(Locale.ROOT, "| | measured (loadgen) | predicted (simulator) |%n"
                    + "|---|---|---|%n| requests | %d | %d |%n| e2e p50 ms | %.0f | %.0f |%n| e2e p95 ms | %.0f | %.0f |%n"
                    + "| 429 | %d | %d |%n", measured.requests().size(), sim.at("/requests/offered").asLong(), mP50,
                    pP50, mP95, pP95, mRejected, pRejected);
            Files.writeString(logs.resolve("calibrate-agreement.txt"), table + "\n" + fitted);
            System.out.println(table);
            assertThat(sim.at("/requests/offered").asLong()).isEqualTo(measured.requests().size());
            assertThat(pP50).as(table).isCloseTo(mP50, org.assertj.core.data.Percentage.withPercentage(
                    100 * LATENCY_TOLERANCE));
            assertThat(pP95).as(table).isCloseTo(mP95, org.assertj.core.data.Percentage.withPercentage(
                    100 * LATENCY_TOLERANCE));
            // Refusals: within 30% of the measured count, or 5 requests for small counts.
            assertThat((double) Math.abs(pRejected - mRejected)).as(table)
                    .isLessThanOrEqualTo(Math.max(5, 0.3 * mRejected));
        }
    }

    private static LoadReport load(ServerProcess s, double rate, int seconds, long seed, Path log) throws Exception {
        Schedule schedule = Schedule.bounded(new PoissonSchedule(rate, seed, PROMPT, TOKENS),
                TimeUnit.SECONDS.toNanos(seconds), 10_000);
        LoadConfig config = new LoadConfig(URI.create(s.url()), Api.COMPLETIONS, MODEL, true, Duration.ofSeconds(60),
                1000);
        try (PrintStream progress = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8)) {
            LoadReport report = new LoadGenerator(config, progress).run(schedule);
            progress.print(report.summary());
            return report;
        }
    }

    private static double number(String yaml, String key) {
        for (String line : yaml.split("\n")) {
            String t = line.trim();
            if (t.startsWith(key + ":")) {
                return Double.parseDouble(t.substring(key.length() + 1).trim());
            }
        }
        throw new AssertionError(key + " not in\n" + yaml);
    }

    private record Cli(int code, String out, String err) {
    }

    private static Cli cli(String... args) {
        var cl = SimulatorCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Cli(code, out.toString(), err.toString());
    }
}
