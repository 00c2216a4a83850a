package dev.llmautoscale.servlet;

import dev.llmautoscale.servlet.endpoint.MetricsServer;
import dev.llmautoscale.servlet.endpoint.MetricsServerSettings;
import dev.llmautoscale.servlet.endpoint.MetricsServlet;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.Servlet;
import java.io.IOException;
import java.util.Optional;

/**
 * Everything that needs {@code micrometer-registry-prometheus}, an optional dependency: this class is only loaded
 * after {@link #PRESENT} said the registry is on the class path (its verification loads Prometheus classes).
 */
final class PrometheusSupport {

    /** Whether {@code micrometer-registry-prometheus} is on the class path. */
    static final boolean PRESENT = present("io.micrometer.prometheusmetrics.PrometheusMeterRegistry");
    /** Whether client_java's {@code exporter-httpserver} (for the separate metrics port) is on the class path. */
    static final boolean HTTP_SERVER_PRESENT = present("io.prometheus.metrics.exporter.httpserver.HTTPServer");

    private PrometheusSupport() {
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, PrometheusSupport.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static MeterRegistry newRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    /**
     * @return a {@code /metrics} servlet on the Prometheus registry behind {@code registry}, or empty when none
     */
    static Optional<Servlet> metricsServlet(MeterRegistry registry) {
        return MetricsServlet.prometheusRegistry(registry).map(MetricsServlet::new);
    }

    /**
     * Starts the separate metrics server when the registry is a Prometheus one.
     *
     * @return the running server (closed with {@link AutoCloseable#close()}) and its port, or empty when the
     *     registry cannot be scraped
     */
    static Optional<Running> startServer(MeterRegistry registry, MetricsServerSettings settings) throws IOException {
        Optional<PrometheusMeterRegistry> prometheus = MetricsServlet.prometheusRegistry(registry);
        if (prometheus.isEmpty()) {
            return Optional.empty();
        }
        MetricsServer server = MetricsServer.start(prometheus.get(), settings);
        return Optional.of(new Running(server, server.port()));
    }

    /**
     * A running metrics server, typed so that callers need no Prometheus class.
     *
     * @param server stops it
     * @param port the port it listens on
     */
    record Running(AutoCloseable server, int port) {
    }
}
