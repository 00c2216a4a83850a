package dev.llmautoscale.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A real Prometheus server (Debian package {@code prometheus}) on a free loopback port, with its data in a temporary
 * directory, the configuration the test writes, and its HTTP API.
 */
public final class PrometheusServer implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("Server is ready to receive web requests");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final ChildProcess process;
    private final int port;

    private PrometheusServer(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts Prometheus.
     *
     * @param dir a temporary directory: {@code prometheus.yml} and the rule files go here, the data under
     *     {@code data/}
     * @param config the configuration (YAML); rule files it names are relative to {@code dir}
     * @param logs where its log goes
     * @return the running server, ready to answer
     */
    public static PrometheusServer start(Path dir, String config, Path logs) throws IOException {
        Path file = dir.resolve("prometheus.yml");
        Files.writeString(file, config, StandardCharsets.UTF_8);
        int port = FreePort.pick();
        ChildProcess p = ChildProcess.start("prometheus-" + port, List.of(
                ExternalTools.require("prometheus").toString(),
                "--config.file=" + file,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--storage.tsdb.retention.time=1h",
                "--log.level=info"), Map.of(), READY, Duration.ofSeconds(60), logs);
        return new PrometheusServer(p, port);
    }

    /**
     * @return the base URL of the HTTP API
     */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * Runs an instant query.
     *
     * @param promql the expression
     * @return the API's JSON answer
     * @throws AssertionError when the API answers an error (with the expression and the error)
     */
    public String query(String promql) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("Prometheus answered " + r.statusCode() + " to " + promql + ": " + r.body());
        }
        return r.body();
    }

    /**
     * GETs an API path, such as {@code /api/v1/targets}.
     *
     * @param path the path and query
     * @return the body
     */
    public String get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /**
     * @return the process (its output, for messages)
     */
    public ChildProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.sigterm();
        try {
            process.awaitExit(Duration.ofSeconds(20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.close();
        } catch (AssertionError e) {
            process.close();
        }
    }
}
