package dev.llmautoscale.servlet.endpoint;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A tiny HTTP server, on the JDK's {@code com.sun.net.httpserver}, that serves {@code GET /metrics} from a
 * {@link PrometheusMeterRegistry} on its own port, such as the guide's {@code metrics} port 8001, apart from the
 * application's port. Same content negotiation as {@link MetricsServlet}. One daemon thread serves scrapes.
 *
 * <pre>{@code
 * try (MetricsHttpServer metrics = MetricsHttpServer.start(new InetSocketAddress(8001), registry)) { ... }
 * }</pre>
 * The {@link dev.llmautoscale.servlet.LlmAutoscaleInitializer} starts one when {@code llm.autoscale.metrics.port}
 * is set.
 */
public final class MetricsHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts serving.
     *
     * @param address where to listen (port 0: any free port)
     * @param registry the registry to scrape
     * @return the running server
     * @throws IOException when the address cannot be bound
     */
    public static MetricsHttpServer start(InetSocketAddress address, PrometheusMeterRegistry registry)
            throws IOException {
        Objects.requireNonNull(registry, "registry");
        HttpServer server = HttpServer.create(address, 16);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "llm-autoscale-metrics-" + address.getPort());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", exchange -> handle(exchange, registry));
        server.start();
        return new MetricsHttpServer(server, executor);
    }

    private static void handle(HttpExchange exchange, PrometheusMeterRegistry registry) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!path.equals("/metrics") && !path.equals("/metrics/")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String method = exchange.getRequestMethod();
            boolean head = method.equals("HEAD");
            if (!head && !method.equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            String contentType = Scrapes.contentType(exchange.getRequestHeaders().getFirst("Accept"));
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            if (head) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, 0); // chunked
            try (OutputStream body = exchange.getResponseBody()) {
                registry.scrape(body, contentType, Scrapes.names(names(exchange.getRequestURI().getRawQuery())));
            }
        }
    }

    private static String[] names(String rawQuery) {
        if (rawQuery == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                String key = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
                if (key.equals("name[]")) {
                    out.add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return out.toArray(new String[0]);
    }

    /**
     * @return the address it listens on
     */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /**
     * @return the port it listens on
     */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops serving; a scrape in progress gets one second to finish. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdown();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
