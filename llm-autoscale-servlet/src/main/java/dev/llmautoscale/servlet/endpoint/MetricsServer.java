package dev.llmautoscale.servlet.endpoint;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The separate metrics port (the guide's {@code :8001}): Prometheus client_java's {@code exporter-httpserver} serving
 * {@code /metrics} from the {@code PrometheusRegistry} behind a Micrometer {@link PrometheusMeterRegistry}, with its
 * full content negotiation (Prometheus text, OpenMetrics, protobuf, gzip, {@code name[]} filters). One daemon thread
 * serves scrapes. Needs {@code io.prometheus:prometheus-metrics-exporter-httpserver} (an optional dependency of this
 * module, the version {@code micrometer-registry-prometheus} uses).
 *
 * <pre>{@code
 * try (MetricsServer metrics = MetricsServer.start(registry, new MetricsServerSettings(8001, null))) { ... }
 * }</pre>
 */
public final class MetricsServer implements AutoCloseable {

    private final HTTPServer server;

    private MetricsServer(HTTPServer server) {
        this.server = server;
    }

    /**
     * Starts serving.
     *
     * @param registry the registry to scrape
     * @param settings the port (0: any free port) and bind address
     * @return the running server
     * @throws IOException when the address cannot be bound
     * @throws IllegalArgumentException when the settings switch the server off
     */
    public static MetricsServer start(PrometheusMeterRegistry registry, MetricsServerSettings settings)
            throws IOException {
        Objects.requireNonNull(registry, "registry");
        if (!settings.enabled()) {
            throw new IllegalArgumentException("the metrics server is off (port " + settings.port() + ")");
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "llm-autoscale-metrics-" + settings.port());
            t.setDaemon(true);
            return t;
        });
        HTTPServer.Builder builder = HTTPServer.builder()
                .port(settings.port())
                .registry(registry.getPrometheusRegistry())
                .executorService(executor);
        if (settings.bindAddress() != null) {
            builder.hostname(settings.bindAddress());
        }
        try {
            return new MetricsServer(builder.buildAndStart());
        } catch (IOException | RuntimeException e) {
            executor.shutdownNow();
            throw e;
        }
    }

    /**
     * @return the port it listens on
     */
    public int port() {
        return server.getPort();
    }

    /** Stops serving. */
    @Override
    public void close() {
        server.close();
    }
}
