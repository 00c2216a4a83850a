package dev.llmautoscale.examples.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The guide's "Implement Graceful Shutdown" preStop hook, verbatim from
 * {@code ../shared/reference/guide-configs/graceful-prestop.yaml} (only the port substituted), run with the real
 * {@code /bin/sh} and {@code curl} against a server while long requests are in flight — what the end-to-end tests of
 * the example server and the Spring example observe, for their assertions.
 */
public final class GuidePreStop {

    /** The file the guide's hook touches, which the servers watch by default. */
    public static final Path TRIGGER = Path.of("/tmp/shutdown");

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private GuidePreStop() {
    }

    /**
     * The hook's command: {@code /bin/sh -c <script>}, with {@code localhost:8000} replaced by the port.
     *
     * @param port the server's API port
     * @return the command
     */
    public static List<String> command(int port) {
        Path file = RepositoryLayout.root().resolve("../shared/reference/guide-configs/graceful-prestop.yaml")
                .normalize();
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("The guide's preStop hook is missing: expected " + file
                    + " (../shared next to the repository root, as on CI)");
        }
        Object parsed;
        try {
            parsed = Manifests.parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Object command = Manifest.at(parsed, "lifecycle", "preStop", "exec", "command");
        if (!(command instanceof List<?> list) || list.size() != 3 || !"/bin/sh".equals(list.get(0))
                || !"-c".equals(list.get(1))) {
            throw new IllegalStateException(file + ": lifecycle.preStop.exec.command is not [/bin/sh, -c, script]");
        }
        String script = String.valueOf(list.get(2));
        String guidePort = "localhost:8000/";
        if (script.indexOf(guidePort) < 0 || script.indexOf(guidePort) != script.lastIndexOf(guidePort)
                || !script.contains("touch /tmp/shutdown")) {
            throw new IllegalStateException(file + ": expected one touch /tmp/shutdown and one localhost:8000/ in "
                    + script);
        }
        return List.of("/bin/sh", "-c", script.replace(guidePort, "localhost:" + port + "/"));
    }

    /** One HTTP answer: status, headers (lower-case names, first value) and body. */
    public record Answer(int status, Map<String, String> headers, String body, long endNanos) {
    }

    /**
     * What happened.
     *
     * @param inFlight the long requests' answers, in the order sent
     * @param readyAfterTouch {@code /ready} once it stopped answering 200
     * @param refused the inference request sent after the touch (through curl, so every header is seen)
     * @param healthDuringDrain {@code /health} while draining
     * @param activeDuringDrain {@code /active_requests} while draining (the long requests were still running)
     * @param metricsDuringDrain the metrics endpoint while draining
     * @param scriptAliveDuringDrain whether the hook was still waiting while requests were in flight
     * @param scriptExit the hook's exit status
     * @param scriptEndNanos when the hook ended
     * @param scriptOutput what the hook printed
     */
    public record Run(List<Answer> inFlight, Answer readyAfterTouch, Answer refused, Answer healthDuringDrain,
            Answer activeDuringDrain, Answer metricsDuringDrain, boolean scriptAliveDuringDrain, int scriptExit,
            long scriptEndNanos, String scriptOutput) {

        /**
         * @return when the last long request got its answer
         */
        public long lastInFlightEndNanos() {
            return inFlight.stream().mapToLong(Answer::endNanos).max().orElseThrow();
        }
    }

    /**
     * Sends {@code requests} long completions, waits until {@code /active_requests} counts them all, runs the guide's
     * hook, and observes the drain: readiness, a new request, the other endpoints, the long requests' answers, the
     * hook's end. Deletes {@link #TRIGGER} afterwards if it did not exist before.
     *
     * @param port the API port
     * @param metricsUrl the metrics endpoint's URL
     * @param requests how many long requests to keep in flight
     * @param completionBody the JSON body of one long completion
     * @param log where the hook's output goes
     * @return what happened
     * @throws Exception when something cannot be run, or a deadline (generous) passes
     */
    public static Run run(int port, String metricsUrl, int requests, String completionBody, Path log)
            throws Exception {
        String base = "http://127.0.0.1:" + port;
        List<CompletableFuture<Answer>> inFlight = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            HttpRequest post = HttpRequest.newBuilder(URI.create(base + "/v1/completions"))
                    .timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(completionBody)).build();
            inFlight.add(HTTP.sendAsync(post, HttpResponse.BodyHandlers.ofString())
                    .thenApply(r -> new Answer(r.statusCode(), Map.of(), r.body(), System.nanoTime())));
        }
        await("all " + requests + " requests counted by /active_requests", () ->
                get(base + "/active_requests").body().strip().equals(String.valueOf(requests)));
        boolean triggerExisted = Files.exists(TRIGGER);
        try {
            Process hook = new ProcessBuilder(command(port)).redirectErrorStream(true).redirectOutput(log.toFile())
                    .start();
            Answer[] ready = new Answer[1];
            await("/ready to turn 503 after the touch", () -> {
                ready[0] = get(base + "/ready");
                return ready[0].status() != 200;
            });
            Answer refused = curlPost(base + "/v1/completions", completionBody);
            Answer health = get(base + "/health");
            Answer active = get(base + "/active_requests");
            Answer metrics = get(metricsUrl);
            boolean alive = hook.isAlive();
            List<Answer> answers = new ArrayList<>();
            for (CompletableFuture<Answer> f : inFlight) {
                answers.add(f.get(120, TimeUnit.SECONDS));
            }
            if (!hook.waitFor(90, TimeUnit.SECONDS)) {
                hook.destroyForcibly();
                throw new IllegalStateException("the guide's preStop hook did not end within 90 s");
            }
            long end = System.nanoTime();
            return new Run(answers, ready[0], refused, health, active, metrics, alive, hook.exitValue(), end,
                    Files.readString(log));
        } finally {
            if (!triggerExisted) {
                Files.deleteIfExists(TRIGGER);
            }
        }
    }

    private static Answer get(String url) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), Map.of(), r.body(), System.nanoTime());
    }

    /** A POST through the real curl with {@code -i}, so hop-by-hop headers such as Connection are seen as sent. */
    private static Answer curlPost(String url, String body) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("curl", "-s", "-i", "--max-time", "30", "-H", "Content-Type: application/json",
                "--data-binary", body, url).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("curl failed: " + out);
        }
        int split = out.indexOf("\r\n\r\n");
        String head = split < 0 ? out : out.substring(0, split);
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        return new Answer(status, headers, split < 0 ? "" : out.substring(split + 4), System.nanoTime());
    }

    /** A condition that may throw. */
    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }

    private static void await(String what, Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after 60 s waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
