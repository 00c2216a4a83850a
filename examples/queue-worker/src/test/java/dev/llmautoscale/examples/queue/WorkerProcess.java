package dev.llmautoscale.examples.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.testsupport.ChildProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The worker's shaded jar, run as its own process on free ports, as a user would run it. */
final class WorkerProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile(
            "queue-worker: listening http=(\\d+) metrics=(-?\\d+) worker=(\\S+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    final ChildProcess process;
    final int port;
    final int metricsPort;
    final String id;

    private WorkerProcess(ChildProcess process) {
        this.process = process;
        Matcher m = process.ready();
        this.port = Integer.parseInt(m.group(1));
        this.metricsPort = Integer.parseInt(m.group(2));
        this.id = m.group(3);
    }

    /**
     * Fast simulated timings: a job of {@code max_tokens} N takes about N * DECODE_MS_PER_TOKEN ms; leases of 2 s.
     */
    static Map<String, String> env(String redisAddress, String name) {
        Map<String, String> env = new HashMap<>();
        env.put("REDIS_HOST", redisAddress);
        env.put("HOSTNAME", name);
        env.put("PORT", "0");
        env.put("METRICS_PORT", "0");
        env.put("MODEL_NAME", "llama-2-13b-chat");
        env.put("MODEL_LOAD_SECONDS", "0.2");
        env.put("MAX_BATCH_SIZE", "8");
        env.put("MAX_CONCURRENT_REQUESTS", "8");
        env.put("DECODE_MS_PER_TOKEN", "4");
        env.put("PREFILL_MS_PER_TOKEN", "0.01");
        env.put("BATCH_SLOWDOWN", "0");
        env.put("LEASE_SECONDS", "2");
        env.put("SHUTDOWN_LINGER_SECONDS", "0");
        env.put("DRAIN_TIMEOUT_SECONDS", "30");
        env.put("LLM_AUTOSCALE_NVML_LIBRARY", "/nonexistent/libnvidia-ml.so.1");
        return env;
    }

    static WorkerProcess start(String name, Map<String, String> env) throws IOException {
        String jar = System.getProperty("worker.jar");
        assertThat(jar).as("system property worker.jar (set by failsafe)").isNotNull();
        Path logs = Path.of(System.getProperty("worker.logs", "target/e2e-logs"));
        return new WorkerProcess(ChildProcess.start(name, ChildProcess.javaJar(Path.of(jar)), env, LISTENING,
                Duration.ofSeconds(60), logs));
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    String scrape() throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /**
     * @param scrape a scrape
     * @param series a sample's name with its labels exactly as exported, such as
     *     {@code llm_queue_worker_jobs_dead_lettered_total{reason="malformed"}}
     * @return its value, if present
     */
    static OptionalDouble value(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return OptionalDouble.of(Double.parseDouble(line.substring(series.length() + 1).trim()));
            }
        }
        return OptionalDouble.empty();
    }

    double metric(String series) throws IOException, InterruptedException {
        String s = scrape();
        OptionalDouble v = value(s, series);
        assertThat(v).as(series + " in the scrape of " + process).isPresent();
        return v.getAsDouble();
    }

    @Override
    public void close() {
        process.close();
    }
}
