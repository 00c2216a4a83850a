package dev.llmautoscale.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The example server's shaded jar, started as a separate process ({@code java -jar}) on free ports, as a user would
 * run it. Its output goes to {@code target/e2e-logs/<name>.log} and is kept in memory for assertions.
 */
final class ServerProcess implements AutoCloseable {

    private static final Pattern LISTENING =
            Pattern.compile("inference-server: listening http=(\\d+) metrics=(-?\\d+)");

    final Process process;
    final long startNanos;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final CompletableFuture<int[]> ports = new CompletableFuture<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** A response. */
    record Answer(int status, String body) {
    }

    private ServerProcess(Process process, long startNanos, Path log) {
        this.process = process;
        this.startNanos = startNanos;
        Thread reader = new Thread(() -> pump(log), "server-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts the jar with PORT=0 and METRICS_PORT=0 plus the given environment, and waits for its ports.
     *
     * @param name the log file name
     * @param env extra environment
     * @return the running server
     */
    static ServerProcess start(String name, Map<String, String> env) throws Exception {
        String jar = System.getProperty("server.jar");
        assertThat(jar).as("system property server.jar (set by failsafe)").isNotNull();
        assertThat(Path.of(jar)).as("the shaded jar; run through `mvn verify`").isRegularFile();
        Path logs = Path.of(System.getProperty("server.logs", "target/e2e-logs"));
        Files.createDirectories(logs);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(
                List.of(java, "-XX:+UseSerialGC", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PORT", "0");
        pb.environment().put("METRICS_PORT", "0");
        pb.environment().remove("LLM_AUTOSCALE_NVML_LIBRARY");
        pb.environment().putAll(env);
        long start = System.nanoTime();
        ServerProcess s = new ServerProcess(pb.start(), start, logs.resolve(name + ".log"));
        try {
            s.ports.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            s.close();
            fail("the server did not report its ports within 60 s; output:\n" + s.output());
        }
        return s;
    }

    private void pump(Path log) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); PrintWriter w = new PrintWriter(Files.newBufferedWriter(log))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
                w.println(line);
                w.flush();
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    ports.complete(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
                }
            }
        } catch (IOException e) {
            lines.add("(output reader failed: " + e + ")");
        }
        ports.completeExceptionally(new IllegalStateException("the server exited before reporting its ports"));
    }

    int port() {
        return ports.join()[0];
    }

    int metricsPort() {
        return ports.join()[1];
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    String output() {
        return String.join("\n", lines);
    }

    Answer get(String path) throws IOException, InterruptedException {
        return get(port(), path);
    }

    Answer get(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    Answer post(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    /** @return a scrape of the metrics port */
    String scrape() throws IOException, InterruptedException {
        Answer a = get(metricsPort(), "/metrics");
        assertThat(a.status()).isEqualTo(200);
        return a.body();
    }

    /**
     * Sends SIGTERM. {@link Process#destroy()} sends the same signal on Linux but also closes the streams of the
     * {@code Process} object, so the drain's log lines would be lost; the process handle only signals.
     */
    void sigterm() {
        assertThat(process.toHandle().destroy()).as("SIGTERM sent").isTrue();
    }

    boolean waitForExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
