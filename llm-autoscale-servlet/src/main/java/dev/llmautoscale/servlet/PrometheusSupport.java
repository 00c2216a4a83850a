package dev.llmautoscale.servlet;

import dev.llmautoscale.servlet.endpoint.MetricsHttpServer;
import dev.llmautoscale.servlet.endpoint.MetricsServlet;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Everything that needs {@code micrometer-registry-prometheus}, an optional dependency: this class is only loaded
 * after {@link LlmAutoscaleServlets#PROMETHEUS} said the registry is on the class path (its verification loads
 * Prometheus classes).
 */
final class PrometheusSupport {

    private PrometheusSupport() {
    }

    static MeterRegistry newRegistry() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    /**
     * Starts the separate metrics server when the registry is a Prometheus one.
     *
     * @return the running server, or empty when the registry cannot be scraped
     */
    static Optional<Server> startServer(MeterRegistry registry, String bindAddress, int port)
            throws IOException {
        Optional<PrometheusMeterRegistry> prometheus = MetricsServlet.prometheusRegistry(registry);
        if (prometheus.isEmpty()) {
            return Optional.empty();
        }
        InetSocketAddress address = bindAddress == null ? new InetSocketAddress(port)
                : new InetSocketAddress(bindAddress, port);
        MetricsHttpServer server = MetricsHttpServer.start(address, prometheus.get());
        return Optional.of(new Server(server, server.port()));
    }

    /**
     * A running metrics server, typed so that callers need no Prometheus class.
     *
     * @param server stops it
     * @param port the port it listens on
     */
    record Server(MetricsHttpServer server, int port) {
        void close() {
            server.close();
        }
    }
}
