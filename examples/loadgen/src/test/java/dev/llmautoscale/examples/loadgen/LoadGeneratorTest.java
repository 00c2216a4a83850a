package dev.llmautoscale.examples.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the load generator against a real HTTP server (the JDK's) that answers in turn with a stream, a 429, a 503, a
 * stream cut short, and a plain JSON answer.
 */
class LoadGeneratorTest {

    private HttpServer server;
    private ExecutorService pool;
    private final AtomicInteger calls = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> bodies = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pool = Executors.newCachedThreadPool();
        server.setExecutor(pool);
        server.createContext("/v1/completions", this::answer);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        pool.shutdownNow();
    }

    private void answer(HttpExchange x) throws IOException {
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        bodies.add(body);
        int n = calls.incrementAndGet();
        try (x) {
            switch (n % 5) {
                case 1 -> stream(x, true);
                case 2 -> {
                    x.getResponseHeaders().add("Retry-After", "2");
                    send(x, 429, "application/json", "{\"error\":{\"message\":\"queue full\"}}");
                }
                case 3 -> send(x, 503, "application/json", "{\"error\":{\"message\":\"draining\"}}");
                case 4 -> stream(x, false);
                default -> send(x, 200, "application/json", "{\"choices\":[{\"text\":\" a b\"}],"
                        + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", type);
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
    }

    private static void stream(HttpExchange x, boolean complete) throws IOException, InterruptedException {
        x.getResponseHeaders().add("Content-Type", "text/event-stream");
        x.sendResponseHeaders(200, 0);
        OutputStream out = x.getResponseBody();
        Thread.sleep(150); // "prefill": the first token comes well after the headers
        for (int i = 0; i < 3; i++) {
            out.write(("data: {\"choices\":[{\"index\":0,\"text\":\" t" + i + "\",\"finish_reason\":null}]}\n\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            Thread.sleep(20);
        }
        if (!complete) {
            return; // no [DONE]: the stream broke off
        }
        out.write("data: {\"choices\":[{\"index\":0,\"text\":\"\",\"finish_reason\":\"length\"}]}\n\n"
                .getBytes(StandardCharsets.UTF_8));
        out.write(("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":3,"
                + "\"total_tokens\":11}}\n\n").getBytes(StandardCharsets.UTF_8));
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Test
    void classifiesMeasuresAndWritesEveryRequest(@TempDir Path dir) throws Exception {
        LoadConfig config = new LoadConfig(url(), Api.COMPLETIONS, "m1", true, Duration.ofSeconds(20), 100);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        // 10 requests, 0.25 s apart: each answer kind twice, in order.
        Schedule schedule = Schedule.bounded(RateProfile.constant(4).schedule(8, 3), 60_000_000_000L, 10);
        LoadReport report = new LoadGenerator(config, new PrintStream(progress, true, StandardCharsets.UTF_8))
                .run(schedule);

        assertThat(report.results()).hasSize(10);
        assertThat(report.sent()).isEqualTo(10);
        assertThat(report.count(Outcome.OK)).isEqualTo(4);
        assertThat(report.count(Outcome.TOO_MANY_REQUESTS)).isEqualTo(2);
        assertThat(report.count(Outcome.UNAVAILABLE)).isEqualTo(2);
        assertThat(report.count(Outcome.ERROR)).isEqualTo(2);
        assertThat(report.results()).filteredOn(r -> r.outcome() == Outcome.ERROR)
                .allSatisfy(r -> assertThat(r.error()).contains("without data: [DONE]"));
        assertThat(report.results()).filteredOn(r -> r.outcome() == Outcome.TOO_MANY_REQUESTS)
                .allSatisfy(r -> assertThat(r.retryAfter()).isEqualTo("2"));

        // Streamed successes: TTFT is measured from the first token event, after the 150 ms "prefill".
        List<RequestResult> streamed = report.results().stream()
                .filter(r -> r.outcome() == Outcome.OK && !Double.isNaN(r.ttftMillis())).toList();
        assertThat(streamed).hasSize(2).allSatisfy(r -> {
            assertThat(r.ttftMillis()).isGreaterThanOrEqualTo(140).isLessThan(r.e2eMillis());
            assertThat(r.usageCompletionTokens()).isEqualTo(3);
            assertThat(r.usagePromptTokens()).isEqualTo(8);
            assertThat(r.chunks()).isEqualTo(5);
        });
        assertThat(report.ttft().count()).isEqualTo(2);
        assertThat(report.e2e().count()).isEqualTo(4);
        assertThat(report.completionTokens()).isEqualTo(3 + 3 + 2 + 2);

        // The body carries a prompt of exactly 4 characters per token and asks for usage when streaming.
        assertThat(bodies).hasSize(10).allSatisfy(b -> {
            assertThat(b).contains("\"model\":\"m1\"", "\"max_tokens\":3", "\"stream\":true",
                    "\"include_usage\":true", "\"prompt\":\"" + "tok ".repeat(8) + "\"");
        });

        String summary = report.summary();
        assertThat(summary).contains("200: 4", "429: 2", "503: 2", "errors: 2", "TTFT ms", "p99");
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("sent 10", "in flight 0", "200: 4");

        Path csv = dir.resolve("out.csv");
        report.writeCsv(csv);
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(11);
        assertThat(lines.get(0)).isEqualTo(LoadReport.CSV_HEADER);
        assertThat(lines.get(2)).startsWith("2,").contains(",429,TOO_MANY_REQUESTS,");
        assertThat(lines.subList(1, 11)).allSatisfy(l ->
                assertThat(l.split(",", -1).length).isGreaterThanOrEqualTo(15));
    }

    @Test
    void dropsArrivalsBeyondTheInFlightLimitAndTimesOutSlowStreams() throws Exception {
        server.createContext("/v1/chat/completions", x -> {
            x.getResponseHeaders().add("Content-Type", "text/event-stream");
            x.sendResponseHeaders(200, 0);
            try {
                Thread.sleep(3000); // never answers within the 1 s timeout
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            x.close();
        });
        LoadConfig config = new LoadConfig(url(), Api.CHAT, null, true, Duration.ofSeconds(1), 2);
        LoadReport report = new LoadGenerator(config, null)
                .run(Schedule.bounded(RateProfile.constant(50).schedule(1, 1), 60_000_000_000L, 5));
        assertThat(report.count(Outcome.DROPPED)).isEqualTo(3);
        assertThat(report.count(Outcome.ERROR)).isEqualTo(2);
        assertThat(report.results()).filteredOn(r -> r.outcome() == Outcome.ERROR)
                .allSatisfy(r -> assertThat(r.error()).contains("timed out after 1000 ms"));
        assertThat(report.results()).filteredOn(r -> r.outcome() == Outcome.DROPPED)
                .allSatisfy(r -> assertThat(r.inFlightAtSend()).isEqualTo(2));
    }

    @Test
    void chatBodiesCarryOneUserMessageAndEscapeTheModel() {
        LoadGenerator g = new LoadGenerator(
                new LoadConfig(url(), Api.CHAT, "we\"ird", false, Duration.ofSeconds(1), 1), null);
        assertThat(g.body(new Arrival(0, 2, 7))).isEqualTo("{\"model\":\"we\\\"ird\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"tok tok \"}],\"max_tokens\":7}");
    }
}
