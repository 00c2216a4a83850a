package dev.llmautoscale.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.llmautoscale.CoreKeys;
import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.admission.AdmissionKeys;
import dev.llmautoscale.admission.AdmissionLimits;
import dev.llmautoscale.metrics.InferenceMetricsConfig;
import dev.llmautoscale.metrics.MetricNames;
import dev.llmautoscale.servlet.endpoint.EndpointKeys;
import dev.llmautoscale.servlet.testing.TestApp;
import dev.llmautoscale.testsupport.ExternalTools;
import dev.llmautoscale.testsupport.Promtool;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.ServletContainerInitializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every servlet container must show with the filter and endpoints installed, run against real
 * containers ({@link JettyContainerTest}, {@link TomcatContainerTest}) with a real HTTP client.
 */
abstract class ServletContainerContract {

    /** A container started on a free port. */
    protected interface Container {
        /** @return the HTTP port */
        int port();

        /** Stops the container. */
        void stop() throws Exception;
    }

    /**
     * Starts a container on a free port whose root context runs the given initializer.
     *
     * @param app the application's initializer
     * @param maxThreads the size of the container's request thread pool; 0 for the container's default
     * @return the running container
     */
    protected abstract Container start(ServletContainerInitializer app, int maxThreads) throws Exception;

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String TRACKED_PATHS =
            "/v1/completions,/v1/chat/completions,/v1/embeddings,/v2/models/{model}/infer";

    private final ExecutorService clientThreads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-client");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .executor(clientThreads)
            .build();
    private Container container;
    private TestApp app;
    private MeterRegistry registry;
    private LlmAutoscale autoscale;

    @AfterEach
    void stopContainer() throws Exception {
        if (app != null) {
            app.gate().open();
        }
        if (container != null) {
            container.stop();
        }
        if (app != null) {
            app.shutdown();
        }
        clientThreads.shutdownNow();
    }

    // ---- set-up ---------------------------------------------------------------------------------------------------

    private static LlmAutoscale newAutoscale(AdmissionLimits limits, boolean ready) {
        LlmAutoscale a = LlmAutoscale.builder(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .admission(limits)
                .build();
        if (ready) {
            assertThat(a.lifecycle().warmUp()).isTrue();
        }
        return a;
    }

    private void boot(Map<String, String> extraParams, LlmAutoscale instance) throws Exception {
        boot(extraParams, instance, 0);
    }

    private void boot(Map<String, String> extraParams, LlmAutoscale instance, int maxThreads) throws Exception {
        Map<String, String> params = new HashMap<>();
        params.put(ServletKeys.PATHS.key(), TRACKED_PATHS);
        if (instance == null) {
            params.put(ServletKeys.AUTO_REGISTER.key(), "true");
        }
        params.putAll(extraParams);
        app = new TestApp(params, instance);
        container = start(app, maxThreads);
        autoscale = app.autoscale();
        registry = autoscale == null ? null : autoscale.registry();
    }

    private void boot(AdmissionLimits limits) throws Exception {
        boot(Map.of(), newAutoscale(limits, true));
    }

    // ---- HTTP helpers ---------------------------------------------------------------------------------------------

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + container.port() + path);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String body(String path) {
        try {
            return get(path).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private HttpRequest.Builder post(String path, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return b;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest.Builder request) {
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] chat(String model) {
        return ("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] chatOfSize(String model, int size, Random random) {
        StringBuilder b = new StringBuilder(size + 64).append("{\"model\":\"").append(model)
                .append("\",\"prompt\":\"");
        while (b.length() < size) {
            b.append((char) ('a' + random.nextInt(26)));
        }
        return b.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        await(condition, TIMEOUT, () -> what);
    }

    private static void await(BooleanSupplier condition, Duration timeout, java.util.function.Supplier<String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + timeout.toSeconds() + " s waiting until " + what.get());
            }
            Thread.sleep(10);
        }
    }

    // ---- metric helpers -------------------------------------------------------------------------------------------

    private double requests(String model, String status) {
        Counter c = registry.find("llm.inference.requests").tags("model", model, "status", status).counter();
        return c == null ? 0 : c.count();
    }

    private double counter(String name, String... tags) {
        Counter c = registry.find(name).tags(tags).counter();
        return c == null ? 0 : c.count();
    }

    private Timer timer(String name, String model) {
        return registry.find(name).tags("model", model).timer();
    }

    private int running() {
        return autoscale.load().running();
    }

    private int queued() {
        return autoscale.load().queued();
    }

    // ---- tests ----------------------------------------------------------------------------------------------------

    @Test
    void syncRequestsAreTrackedWithModelAndStatusMapping() throws Exception {
        boot(AdmissionLimits.disabled());

        HttpResponse<String> ok = send(post("/v1/chat/completions", chat("body-model"), "X-Test-Tokens", "7,3"));
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("\"model\":\"body-model\"");
        assertThat(requests("body-model", "success")).isEqualTo(1);
        assertThat(counter("llm.prompt.tokens", "model", "body-model")).isEqualTo(7);
        assertThat(counter("llm.generation.tokens", "model", "body-model")).isEqualTo(3);
        assertThat(timer("llm.inference.duration", "body-model").count()).isEqualTo(1);
        assertThat(timer("llm.time.to.first.token", "body-model").count()).isEqualTo(1);

        // token counts in trailers
        assertThat(send(post("/v1/chat/completions", chat("trailer-model"), "X-Test-Trailer-Tokens", "5,9"))
                .statusCode()).isEqualTo(200);
        assertThat(counter("llm.prompt.tokens", "model", "trailer-model")).isEqualTo(5);
        assertThat(counter("llm.generation.tokens", "model", "trailer-model")).isEqualTo(9);

        // the header wins over the body; a path segment names the model where the pattern says so
        assertThat(send(post("/v1/chat/completions", chat("body-model"), "X-Model", "header-model")).statusCode())
                .isEqualTo(200);
        assertThat(requests("header-model", "success")).isEqualTo(1);
        assertThat(send(post("/v2/models/path%2Dmodel/infer", "{}".getBytes(StandardCharsets.UTF_8))).statusCode())
                .isEqualTo(200);
        assertThat(requests("path-model", "success")).isEqualTo(1);
        assertThat(get("/v1/embeddings").statusCode()).isEqualTo(200);
        assertThat(requests("default", "success")).isEqualTo(1);

        // 4xx and 5xx are errors; client errors are also counted by code
        assertThat(send(post("/v1/chat/completions", chat("err-model"), "X-Test-Status", "400")).statusCode())
                .isEqualTo(400);
        assertThat(send(post("/v1/chat/completions", chat("err-model"), "X-Test-Status", "503")).statusCode())
                .isEqualTo(503);
        assertThat(send(post("/v1/chat/completions", chat("err-model"), "X-Test-Throw", "true")).statusCode())
                .isEqualTo(500);
        assertThat(requests("err-model", "error")).isEqualTo(3);
        assertThat(requests("err-model", "success")).isZero();
        assertThat(counter(InferenceTrackingFilter.CLIENT_ERRORS_METRIC, "model", "err-model", "code", "400"))
                .isEqualTo(1);
        assertThat(registry.find(InferenceTrackingFilter.CLIENT_ERRORS_METRIC).tag("code", "503").counter()).isNull();

        // untracked paths are not counted
        double before = registry.find("llm.inference.requests").counters().stream().mapToDouble(Counter::count).sum();
        assertThat(send(post("/untracked/chat", chat("body-model"))).body()).contains("\"model\":\"untracked\"");
        // neither are CORS preflights
        HttpResponse<String> preflight = send(HttpRequest.newBuilder(uri("/v1/chat/completions")).timeout(TIMEOUT)
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        assertThat(preflight.statusCode()).isEqualTo(200); // the application's own answer, untouched
        assertThat(preflight.body()).contains("\"model\":\"untracked\"");
        double after = registry.find("llm.inference.requests").counters().stream().mapToDouble(Counter::count).sum();
        assertThat(after).isEqualTo(before);
        assertThat(running()).isZero();
    }

    @Test
    void serverSentEventsAreTrackedUntilCompleteWithTimeToFirstToken() throws Exception {
        boot(AdmissionLimits.disabled());

        HttpResponse<String> sse = http.send(HttpRequest.newBuilder(uri("/v1/completions?events=4&gapMs=150"))
                .header("X-Model", "stream-model").timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(sse.statusCode()).isEqualTo(200);
        assertThat(sse.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("text/event-stream"));
        assertThat(sse.body()).contains("data: token-0", "data: token-3", "data: [DONE]");

        await(() -> requests("stream-model", "success") == 1, "the stream is counted as success");
        Timer ttft = timer("llm.time.to.first.token", "stream-model");
        Timer duration = timer("llm.inference.duration", "stream-model");
        assertThat(ttft.count()).isEqualTo(1);
        assertThat(duration.count()).isEqualTo(1);
        // the first event was flushed before three more 150 ms gaps: the first token came >= 450 ms before the end
        assertThat(duration.totalTime(TimeUnit.MILLISECONDS) - ttft.totalTime(TimeUnit.MILLISECONDS))
                .isGreaterThanOrEqualTo(450);
        assertThat(counter("llm.generation.tokens", "model", "stream-model")).isEqualTo(4);
        assertThat(counter("llm.prompt.tokens", "model", "stream-model")).isEqualTo(11);
        assertThat(timer("llm.time.per.output.token", "stream-model").count()).isEqualTo(1);
        assertThat(running()).isZero();
    }

    @Test
    void clientDisconnectMidStreamIsCancelled() throws Exception {
        boot(AdmissionLimits.disabled());

        try (Socket socket = new Socket("127.0.0.1", container.port())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(("GET /v1/completions?mode=until-disconnect HTTP/1.1\r\nHost: localhost\r\n"
                    + "X-Model: gone-model\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream seen = new ByteArrayOutputStream();
            while (!seen.toString(StandardCharsets.US_ASCII).contains("data: token-1")) {
                int b = in.read();
                assertThat(b).as("stream ended before the first events").isNotNegative();
                seen.write(b);
            }
            assertThat(running()).isEqualTo(1);
        } // the client goes away mid-stream

        await(() -> requests("gone-model", "cancelled") == 1, "the abandoned stream is counted as cancelled");
        await(() -> running() == 0, "active requests are back to 0");
        assertThat(requests("gone-model", "success")).isZero();
        assertThat(requests("gone-model", "error")).isZero();
    }

    @Test
    void asyncTimeoutIsCancelled() throws Exception {
        boot(AdmissionLimits.disabled());

        HttpResponse<String> timedOut = http.send(HttpRequest.newBuilder(uri("/v1/completions?mode=timeout"))
                .header("X-Model", "slow-model").timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(timedOut.statusCode()).isEqualTo(500); // the container's answer to an unhandled async timeout
        await(() -> requests("slow-model", "cancelled") == 1, "the timed-out request is counted as cancelled");
        assertThat(requests("slow-model", "error") + requests("slow-model", "success")).isZero();
        await(() -> running() == 0, "active requests are back to 0");
    }

    @Test
    void overloadAdmitsExactlyTheLimitAndRefusesTheRestWith429() throws Exception {
        int limit = 4;
        int extra = 3;
        boot(AdmissionLimits.builder().enabled(true).maxConcurrency(limit).queueCapacity(0).build());

        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < limit + extra; i++) {
            all.add(sendAsync(post("/v1/chat/completions", chat("busy-model"), "X-Test-Hold", "true")));
        }
        await(() -> all.stream().filter(CompletableFuture::isDone).count() == extra,
                extra + " requests are refused while " + limit + " are held");
        assertThat(running()).isEqualTo(limit);
        assertThat(get("/active_requests").body()).isEqualTo(Integer.toString(limit));
        HttpResponse<String> scaling = get("/autoscaling");
        assertThat(scaling.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/json"));
        assertThat(scaling.body()).contains("\"running\":4", "\"queued\":0", "\"maxConcurrency\":4",
                "\"capacityUtilization\":1.0", "\"busy-model\":{\"queued\":0,\"running\":4");
        for (CompletableFuture<HttpResponse<String>> f : all) {
            if (f.isDone()) {
                HttpResponse<String> refused = f.get();
                assertThat(refused.statusCode()).isEqualTo(429);
                assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
                assertThat(refused.body()).contains("\"error\":{", "\"type\":\"overloaded_error\"",
                        "\"code\":\"queue_full\"", "busy-model");
            }
        }

        app.gate().open();
        int ok = 0;
        int refused = 0;
        for (CompletableFuture<HttpResponse<String>> f : all) {
            int status = f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).statusCode();
            if (status == 200) {
                ok++;
            } else if (status == 429) {
                refused++;
            }
        }
        assertThat(ok).isEqualTo(limit);
        assertThat(refused).isEqualTo(extra);
        await(() -> requests("busy-model", "success") == limit, "the admitted requests are counted");
        assertThat(requests("busy-model", "rejected")).isEqualTo(extra);
        assertThat(counter("llm.requests.rejected", "model", "busy-model", "reason", "queue_full")).isEqualTo(extra);
        assertThat(requests("busy-model", "error") + requests("busy-model", "cancelled")).isZero();
        assertThat(running()).isZero();
    }

    @Test
    void queuedRequestsHoldNoContainerThread() throws Exception {
        int limit = 2;
        int queueCapacity = 500;
        int extra = 10;
        boot(Map.of(), newAutoscale(AdmissionLimits.builder().enabled(true).maxConcurrency(limit)
                .queueCapacity(queueCapacity).maxQueueWait(Duration.ofMinutes(5)).build(), true), 16);
        long threadsBefore = serverSideThreads();

        List<CompletableFuture<HttpResponse<String>>> admitted = new ArrayList<>();
        for (int i = 0; i < limit + queueCapacity; i++) {
            // a client that gives up while queued leaves the queue (cancelled): wait as long as the test does
            admitted.add(sendAsync(post("/v1/chat/completions", chat("queue-model"), "X-Test-Hold", "true")
                    .timeout(Duration.ofMinutes(5))));
        }
        // 502 connections opened at once on a shared 2-core machine: a generous deadline
        await(() -> running() == limit && queued() == queueCapacity, Duration.ofMinutes(3),
                () -> "2 requests run (held) and 500 wait in the queue of a 16-thread container; now running "
                        + running() + ", queued " + queued());

        // with 500 requests queued the 16 container threads are free: probes, the preStop count and scrapes answer
        assertThat(get("/health").statusCode()).isEqualTo(200);
        assertThat(get("/ready").statusCode()).isEqualTo(200);
        assertThat(get("/active_requests").body()).isEqualTo(Integer.toString(limit + queueCapacity));
        HttpResponse<String> scrape = get("/metrics");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("llm_inference_queue_depth " + queueCapacity + ".0",
                "llm_active_requests " + limit + ".0");
        long threadsQueued = serverSideThreads();
        assertThat(threadsQueued - threadsBefore).as("threads outside the test client: %d before, %d with 500 queued",
                threadsBefore, threadsQueued).isLessThan(40);

        // beyond the queue: refused at once with 429, on the same 16 threads
        for (int i = 0; i < extra; i++) {
            HttpResponse<String> refused = send(post("/v1/chat/completions", chat("queue-model")));
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.body()).contains("\"code\":\"queue_full\"");
        }

        app.gate().open();
        for (CompletableFuture<HttpResponse<String>> f : admitted) {
            assertThat(f.get(3, TimeUnit.MINUTES).statusCode()).isEqualTo(200);
        }
        await(() -> running() + queued() == 0, "every queued request ran");
        await(() -> requests("queue-model", "success") == limit + queueCapacity, "every admitted request is counted");
        assertThat(requests("queue-model", "rejected")).isEqualTo(extra);
        assertThat(requests("queue-model", "cancelled") + requests("queue-model", "error")).isZero();
        assertThat(registry.get(MetricNames.QUEUE_DEPTH).gauge().value()).isZero();
        assertThat(registry.get(MetricNames.ACTIVE_REQUESTS).gauge().value()).isZero();
        assertThat(get("/active_requests").body()).isEqualTo("0");
    }

    /**
     * One keep-alive exchange on a raw socket whose response is a 503 from the application (not from the library,
     * which adds its own {@code Connection: close} only while draining), then what the same connection does next.
     *
     * @param connectionHeader the response's {@code Connection} header, or {@code null}
     * @param nextStatusOnSameConnection the status of a second request on the same socket, or -1 when the server
     *     closed it
     */
    protected record RawExchange(String connectionHeader, int nextStatusOnSameConnection) {
    }

    protected RawExchange rawExchangeAfter503() throws Exception {
        boot(AdmissionLimits.disabled());
        byte[] body = chat("raw-model");
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", container.port())) {
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            java.io.OutputStream out = socket.getOutputStream();
            java.io.InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            writeRaw(out, "X-Test-Status: 503\r\n", body);
            Map<String, String> first = readRaw(in);
            assertThat(first.get(":status")).isEqualTo("503");
            try {
                writeRaw(out, "", body);
                Map<String, String> second = readRaw(in);
                return new RawExchange(first.get("connection"), second == null ? -1
                        : Integer.parseInt(second.get(":status")));
            } catch (IOException closed) {
                return new RawExchange(first.get("connection"), -1);
            }
        }
    }

    private static void writeRaw(java.io.OutputStream out, String extraHeaders, byte[] body) throws IOException {
        String head = "POST /untracked/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + extraHeaders + "Content-Length: " + body.length + "\r\n\r\n";
        out.write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    /** Reads one response (status line, headers in lower case, a Content-Length body); {@code null} at EOF. */
    private static Map<String, String> readRaw(java.io.InputStream in) throws IOException {
        Map<String, String> headers = new HashMap<>();
        String status = rawLine(in);
        if (status == null) {
            return null;
        }
        headers.put(":status", status.split(" ")[1]);
        for (String line = rawLine(in); line != null && !line.isEmpty(); line = rawLine(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT),
                    line.substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        in.readNBytes(length);
        return headers;
    }

    private static String rawLine(java.io.InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                return b.toString().stripTrailing();
            }
            b.append((char) c);
        }
        return b.length() == 0 ? null : b.toString();
    }

    /** Live threads other than the test's HTTP client's. */
    private static long serverSideThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> !t.getName().startsWith("test-client") && !t.getName().startsWith("HttpClient"))
                .count();
    }

    @Test
    void aQueueTimeoutAnswers429WithQueueTimeoutAndRetryAfter() throws Exception {
        boot(AdmissionLimits.builder().enabled(true).maxConcurrency(1).queueCapacity(1)
                .maxQueueWait(Duration.ofMillis(200)).retryAfter(Duration.ofSeconds(2)).build());
        CompletableFuture<HttpResponse<String>> held =
                sendAsync(post("/v1/chat/completions", chat("slow-model"), "X-Test-Hold", "true"));
        await(() -> running() == 1, "one request holds the only slot");
        HttpResponse<String> timedOut = send(post("/v1/chat/completions", chat("slow-model")));
        assertThat(timedOut.statusCode()).isEqualTo(429);
        assertThat(timedOut.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(timedOut.body()).contains("\"code\":\"queue_timeout\"", "\"type\":\"overloaded_error\"");
        assertThat(counter("llm.requests.rejected", "model", "slow-model", "reason", "queue_timeout")).isEqualTo(1);
        assertThat(queued()).isZero();
        app.gate().open();
        assertThat(held.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        await(() -> running() == 0, "the held request ends");
        assertThat(requests("slow-model", "success")).isEqualTo(1);
        assertThat(requests("slow-model", "rejected")).isEqualTo(1);
    }

    @Test
    void overloadCanBeAnsweredWith503() throws Exception {
        boot(Map.of(ServletKeys.OVERLOAD_STATUS.key(), "503"),
                newAutoscale(AdmissionLimits.builder().enabled(true).maxConcurrency(1).queueCapacity(0)
                        .retryAfter(Duration.ofMillis(2500)).build(), true));
        CompletableFuture<HttpResponse<String>> held =
                sendAsync(post("/v1/chat/completions", chat("busy-model"), "X-Test-Hold", "true"));
        await(() -> running() == 1, "one request holds the only slot");
        HttpResponse<String> refused = send(post("/v1/chat/completions", chat("busy-model")));
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("3"); // 2.5 s, rounded up
        assertThat(refused.body()).contains("\"code\":\"queue_full\"");
        app.gate().open();
        assertThat(held.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(counter("llm.requests.rejected", "model", "busy-model", "reason", "queue_full")).isEqualTo(1);
    }

    @Test
    void drainUnderLoadFinishesAdmittedAndQueuedRequestsAndRefusesNewOnes() throws Exception {
        boot(Map.of(EndpointKeys.DRAIN_ENABLED.key(), "true"),
                newAutoscale(AdmissionLimits.builder().enabled(true).maxConcurrency(2).queueCapacity(2).build(), true));

        List<CompletableFuture<HttpResponse<String>>> admitted = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            admitted.add(sendAsync(post("/v1/chat/completions", chat("drain-model"), "X-Test-Hold", "true")));
        }
        await(() -> running() == 2 && queued() == 1, "two requests run and one waits in the queue");

        HttpResponse<String> drain = send(HttpRequest.newBuilder(uri("/drain")).timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(drain.statusCode()).isEqualTo(202);
        assertThat(drain.body()).contains("\"state\":\"draining\"", "\"running\":2", "\"queued\":1");

        HttpResponse<String> late = send(post("/v1/chat/completions", chat("drain-model")));
        assertThat(late.statusCode()).isEqualTo(503);
        assertThat(late.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(late.headers().firstValue("Connection")).hasValueSatisfying(
                v -> assertThat(v).containsIgnoringCase("close"));
        assertThat(late.body()).contains("\"code\":\"draining\"", "\"type\":\"unavailable_error\"");
        HttpResponse<String> ready = get("/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("\"state\":\"draining\"", "\"ready\":false");
        HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        HttpResponse<String> active = get("/active_requests");
        assertThat(active.body()).isEqualTo("3");
        HttpResponse<String> untracked = send(post("/untracked/chat", chat("drain-model")));
        assertThat(untracked.statusCode()).isEqualTo(200);
        // every response while draining, not only refusals, tells keep-alive clients to reconnect elsewhere
        for (HttpResponse<String> r : List.of(ready, health, active, untracked)) {
            assertThat(r.headers().firstValue("Connection")).as("Connection header of %s", r.uri())
                    .hasValueSatisfying(v -> assertThat(v).containsIgnoringCase("close"));
        }

        app.gate().open();
        for (CompletableFuture<HttpResponse<String>> f : admitted) {
            assertThat(f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        await(() -> running() + queued() == 0, "in-flight work is done");
        assertThat(get("/active_requests").body()).isEqualTo("0");
        HttpResponse<String> waited = send(HttpRequest.newBuilder(uri("/drain?wait=true")).timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(waited.statusCode()).isEqualTo(200);
        assertThat(waited.body()).contains("\"drained\":true", "\"remainingRunning\":0", "\"remainingQueued\":0");
        assertThat(requests("drain-model", "success")).isEqualTo(3);
        assertThat(counter("llm.requests.rejected", "model", "drain-model", "reason", "draining")).isEqualTo(1);
    }

    @Test
    void drainEndpointNeedsTheTokenWhenLoopbackIsNotTrusted() throws Exception {
        boot(Map.of(EndpointKeys.DRAIN_ENABLED.key(), "true", EndpointKeys.DRAIN_ALLOW_LOOPBACK.key(), "false",
                EndpointKeys.DRAIN_TOKEN.key(), "s3cret"), newAutoscale(AdmissionLimits.disabled(), true));

        HttpRequest.Builder drain = HttpRequest.newBuilder(uri("/drain")).timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.noBody());
        HttpResponse<String> anonymous = send(drain);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(send(drain.copy().header("Authorization", "Bearer wrong")).statusCode()).isEqualTo(403);
        assertThat(get("/ready").statusCode()).isEqualTo(200);
        assertThat(get("/drain").statusCode()).isEqualTo(405);
        assertThat(send(drain.copy().header("Authorization", "Bearer s3cret")).statusCode()).isEqualTo(202);
        await(() -> autoscale.lifecycle().state().label().equals("draining"), "the server drains");
    }

    @Test
    void drainEndpointIsAbsentUnlessEnabled() throws Exception {
        boot(AdmissionLimits.disabled());
        // no servlet: the container's default answer for a POST to nothing (404, or 405 from a default servlet)
        assertThat(send(HttpRequest.newBuilder(uri("/drain")).timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isIn(404, 405);
        assertThat(app.context().getServletRegistration("llmAutoscaleDrain")).isNull();
        assertThat(get("/ready").statusCode()).isEqualTo(200);
        assertThat(autoscale.lifecycle().isAcceptingWork()).isTrue();
    }

    @Test
    void guidePreStopLoopWaitsForRunningAndQueuedRequests() throws Exception {
        String curl = ExternalTools.require("curl").toString();
        assertThat(curl).isNotBlank();
        boot(AdmissionLimits.builder().enabled(true).maxConcurrency(1).queueCapacity(1).build());
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            held.add(sendAsync(post("/v1/chat/completions", chat("prestop-model"), "X-Test-Hold", "true")));
        }
        await(() -> running() == 1 && queued() == 1, "one request runs and one is queued");
        HttpResponse<String> active = get("/active_requests");
        assertThat(active.body()).isEqualTo("2");
        assertThat(active.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("text/plain"));

        // The guide's preStop loop, verbatim but for the port, plus a failing exit when it gives up.
        String loop = "for i in $(seq 1 60); do\n"
                + "  if [ $(curl -s localhost:" + container.port() + "/active_requests) -eq 0 ]; then\n"
                + "    exit 0\n"
                + "  fi\n"
                + "  sleep 1\n"
                + "done\n"
                + "exit 1\n";
        Process sh = new ProcessBuilder("/bin/sh", "-c", loop).redirectErrorStream(true).start();
        try {
            await(() -> app.curlPolls() >= 2, "the loop polled /active_requests twice");
            assertThat(sh.isAlive()).as("the loop must keep waiting while requests are in flight").isTrue();
            app.gate().open();
            assertThat(sh.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("the loop ends once idle").isTrue();
            String output = new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(sh.exitValue()).as("loop output: %s", output).isZero();
            assertThat(output).isEmpty(); // the integer parsed: no '[: integer expression expected'
        } finally {
            sh.destroyForcibly();
        }
        for (CompletableFuture<HttpResponse<String>> f : held) {
            assertThat(f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void readinessFollowsWarmUp() throws Exception {
        LlmAutoscale instance = newAutoscale(AdmissionLimits.disabled(), false);
        CountDownLatch loaded = new CountDownLatch(1);
        instance.lifecycle().addWarmupHook("load-model", Duration.ofSeconds(60), () -> {
            if (!loaded.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never loaded");
            }
        });
        boot(Map.of(), instance);

        HttpResponse<String> starting = get("/ready");
        assertThat(starting.statusCode()).isEqualTo(503);
        assertThat(starting.body()).contains("\"state\":\"starting\"", "\"ready\":false", "warm-up has not run yet");
        instance.lifecycle().warmUpAsync();
        // the state changes first, then the reason names the running hook
        await(() -> body("/ready").contains("load-model"), "/ready names the running warm-up hook");
        HttpResponse<String> warming = get("/ready");
        assertThat(warming.statusCode()).isEqualTo(503);
        assertThat(warming.body()).contains("\"state\":\"warming_up\"", "\"ready\":false",
                "running hook 'load-model' (1 of 1)");
        HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"live\":true");

        loaded.countDown();
        await(() -> body("/ready").contains("\"ready\":true"), "/ready answers ready");
        assertThat(get("/ready").statusCode()).isEqualTo(200);
        assertThat(get("/ready").body()).isEqualTo("{\"state\":\"ready\",\"ready\":true,\"reasons\":[]}");
    }

    @Test
    void bodiesReachTheApplicationUnchanged() throws Exception {
        boot(AdmissionLimits.disabled());
        Random random = new Random(42);

        // 10 MiB with the model first: found by the peek, and the servlet still gets every byte
        StringBuilder letters = new StringBuilder(10 * 1024 * 1024);
        while (letters.length() < 10 * 1024 * 1024) {
            letters.append((char) ('a' + random.nextInt(26)));
        }
        String content = "[{\"role\":\"user\",\"content\":\"" + letters + "\"}]";
        byte[] big = ("{\"model\":\"big-model\",\"messages\":" + content + "}").getBytes(StandardCharsets.UTF_8);
        assertEcho(post("/v1/chat/completions", big), big, "big-model");

        // 10 MiB with the model after the 16 KiB peek: the default model, body intact
        byte[] late = ("{\"messages\":" + content + ",\"model\":\"late-model\"}").getBytes(StandardCharsets.UTF_8);
        assertEcho(post("/v1/chat/completions", late), late, "default");

        // malformed JSON: the model before the damage is still found
        byte[] malformed = "{\"model\":\"broken-model\",\"messages\":[{\"role\": \u0000\u0001}}]]]garbage"
                .getBytes(StandardCharsets.UTF_8);
        assertEcho(post("/v1/chat/completions", malformed), malformed, "broken-model");

        // binary bytes under a JSON content type
        byte[] binary = new byte[1024 * 1024];
        random.nextBytes(binary);
        assertEcho(post("/v1/chat/completions", binary), binary, "default");

        // gzip: not peeked, passed through
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream zip = new GZIPOutputStream(gz)) {
            zip.write(chat("zipped-model"));
        }
        byte[] gzipped = gz.toByteArray();
        assertEcho(post("/v1/chat/completions", gzipped, "Content-Encoding", "gzip"), gzipped, "default");

        // chunked (no Content-Length), read by the servlet with non-blocking I/O, larger and smaller than the peek
        for (int size : new int[] {200 * 1024, 2 * 1024}) {
            byte[] body = chatOfSize("async-model", size, random);
            HttpRequest.Builder chunked = HttpRequest.newBuilder(uri("/v1/chat/completions")).timeout(TIMEOUT)
                    .header("Content-Type", "application/json").header("X-Test-Read", "async")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
            assertEcho(chunked, body, "async-model");
        }

        // read as characters: UTF-8 text arrives decoded exactly as without the filter
        byte[] utf8 = "{\"model\":\"r\u00e9sum\u00e9-model\",\"messages\":\"h\u00e9llo \u2713 \ud83d\ude00\"}"
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> viaReader = send(post("/v1/chat/completions", utf8, "X-Test-Read", "reader")
                .setHeader("Content-Type", "application/json; charset=utf-8"));
        assertThat(viaReader.body()).contains("\"sha256\":\"" + sha256(utf8) + "\"", "r\u00e9sum\u00e9-model");
        for (String type : new String[] {"application/json", "application/json; charset=utf-8"}) {
            HttpResponse<String> tracked = send(post("/v1/chat/completions", utf8, "X-Test-Read", "reader")
                    .setHeader("Content-Type", type));
            HttpResponse<String> untracked = send(post("/untracked/chat", utf8, "X-Test-Read", "reader")
                    .setHeader("Content-Type", type));
            assertThat(field(tracked.body(), "sha256")).isEqualTo(field(untracked.body(), "sha256"));
            assertThat(field(tracked.body(), "length")).isEqualTo(field(untracked.body(), "length"));
        }
        assertThat(running()).isZero();
    }

    private void assertEcho(HttpRequest.Builder request, byte[] sent, String model) throws Exception {
        HttpResponse<String> r = send(request);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(field(r.body(), "sha256")).isEqualTo(sha256(sent));
        assertThat(field(r.body(), "length")).isEqualTo(Integer.toString(sent.length));
        assertThat(field(r.body(), "model")).isEqualTo(model);
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"?([^\",}]*)").matcher(json);
        assertThat(m.find()).as("field %s in %s", name, json).isTrue();
        return m.group(1);
    }

    @Test
    void tenThousandModelNamesStayWithinTheSeriesBound() throws Exception {
        boot(AdmissionLimits.disabled());
        int total = 10_000;
        Semaphore window = new Semaphore(16);
        AtomicInteger failures = new AtomicInteger();
        List<CompletableFuture<?>> all = new ArrayList<>(total);
        int bound = InferenceMetricsConfig.DEFAULT_MAX_MODELS;
        assertThat(bound).as("the documented bound").isEqualTo(32);
        // the first 32 names one after the other, so that which names keep their own label is known; the rest at once
        for (int i = 0; i < bound; i++) {
            assertThat(send(post("/v1/chat/completions", chat("model-" + i))).statusCode()).isEqualTo(200);
        }
        for (int i = bound; i < total; i++) {
            window.acquire();
            all.add(sendAsync(post("/v1/chat/completions", chat("model-" + i))).whenComplete((r, e) -> {
                if (e != null || r.statusCode() != 200) {
                    failures.incrementAndGet();
                }
                window.release();
            }));
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(120, TimeUnit.SECONDS);
        assertThat(failures.get()).isZero();

        String scrape = get("/metrics").body();
        Set<String> models = new TreeSet<>();
        Matcher m = Pattern.compile("^llm_inference_requests_total\\{[^}]*model=\"([^\"]*)\"", Pattern.MULTILINE)
                .matcher(scrape);
        while (m.find()) {
            models.add(m.group(1));
        }
        Set<String> expected = new TreeSet<>(Set.of("other"));
        for (int i = 0; i < bound; i++) {
            expected.add("model-" + i);
        }
        assertThat(models).isEqualTo(expected);
        assertThat((long) autoscale.registry().get(MetricNames.MODEL_LABEL_OVERFLOW).counter().count()).isEqualTo(total - bound);
        double success = registry.find("llm.inference.requests").tag("status", "success").counters().stream()
                .mapToDouble(Counter::count).sum();
        assertThat(success).isEqualTo(total);
        assertThat(requests("other", "success")).isEqualTo(total - bound);
    }

    @Test
    void scrapeFromTheRunningContainerPassesPromtool() throws Exception {
        boot(Map.of(AdmissionKeys.ENABLED.key(), "true",
                AdmissionKeys.MAX_CONCURRENCY.key(), "1",
                EndpointKeys.METRICS_SERVER_PORT.key(), "0"), null);
        await(() -> autoscale.lifecycle().readiness().ok(), "the library-built instance warms up");
        assertThat(registry).isInstanceOf(PrometheusMeterRegistry.class);

        assertThat(send(post("/v1/chat/completions", chat("scrape-model"))).statusCode()).isEqualTo(200);
        assertThat(send(post("/v1/chat/completions", chat("scrape-model"), "X-Test-Status", "404")).statusCode())
                .isEqualTo(404);
        CompletableFuture<HttpResponse<String>> held =
                sendAsync(post("/v1/chat/completions", chat("scrape-model"), "X-Test-Hold", "true"));
        await(() -> running() == 1, "one request holds the only slot");
        assertThat(send(post("/v1/chat/completions", chat("scrape-model"))).statusCode()).isEqualTo(429);
        app.gate().open();
        assertThat(held.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(get("/v1/completions?events=2&gapMs=10").statusCode()).isEqualTo(200);
        await(() -> requests("default", "success") == 1, "the stream is counted");

        HttpResponse<String> text = get("/metrics");
        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("text/plain").contains("version=0.0.4"));
        assertThat(text.body()).contains("llm_inference_requests_total{model=\"scrape-model\",status=\"rejected\"} 1",
                "llm_inference_client_errors_total{code=\"404\",model=\"scrape-model\"} 1",
                "llm_time_to_first_token_seconds_count{model=\"default\"} 1", "llm_lifecycle_state{state=\"ready\"} 1");
        Promtool.Result lint = Promtool.checkMetrics(text.body());
        assertThat(lint.exitCode()).as("promtool check metrics:\n%s", lint.output()).isZero();

        HttpResponse<String> open = http.send(HttpRequest.newBuilder(uri("/metrics"))
                .header("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5")
                .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(open.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/openmetrics-text"));
        assertThat(open.body()).endsWith("# EOF\n");

        int metricsPort = app.installation().metricsServerPort().orElseThrow();
        HttpResponse<String> separate = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(separate.statusCode()).isEqualTo(200);
        assertThat(separate.body()).contains("llm_inference_requests_total{model=\"scrape-model\",status=\"success\"}");
        Promtool.Result lintSeparate = Promtool.checkMetrics(separate.body());
        assertThat(lintSeparate.exitCode()).as("promtool check metrics:\n%s", lintSeparate.output()).isZero();
    }

    @Test
    void disabledByConfigurationRegistersNothing() throws Exception {
        boot(Map.of(CoreKeys.ENABLED.key(), "false"), null);
        assertThat(get("/health").statusCode()).isEqualTo(404);
        assertThat(send(post("/v1/chat/completions", chat("any"))).body()).contains("\"model\":\"untracked\"");
        assertThat(app.autoscale()).isNull(); // no instance was built
    }
}
