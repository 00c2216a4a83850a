package dev.llmautoscale.servlet.endpoint;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code GET /metrics}: a scrape of a Micrometer {@link PrometheusMeterRegistry}, in the Prometheus text format, or
 * OpenMetrics when the {@code Accept} header asks for {@code application/openmetrics-text} (as Prometheus does). The
 * {@code name[]} query parameter limits the scrape to some metric families. Needs
 * {@code micrometer-registry-prometheus}; {@link #prometheusRegistry} finds the registry behind a composite.
 */
public final class MetricsServlet extends HttpServlet {

    private final PrometheusMeterRegistry registry;

    /**
     * @param registry the registry to scrape
     */
    public MetricsServlet(PrometheusMeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * Finds the Prometheus registry behind a registry.
     *
     * @param registry a registry, possibly a composite
     * @return the registry itself or the first Prometheus registry inside a composite, or empty
     */
    public static Optional<PrometheusMeterRegistry> prometheusRegistry(MeterRegistry registry) {
        if (registry instanceof PrometheusMeterRegistry) {
            return Optional.of((PrometheusMeterRegistry) registry);
        }
        if (registry instanceof CompositeMeterRegistry) {
            for (MeterRegistry inner : ((CompositeMeterRegistry) registry).getRegistries()) {
                Optional<PrometheusMeterRegistry> found = prometheusRegistry(inner);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String contentType = Scrapes.contentType(req.getHeader("Accept"));
        resp.setStatus(200);
        resp.setContentType(contentType);
        resp.setHeader("Cache-Control", "no-store");
        registry.scrape(resp.getOutputStream(), contentType, Scrapes.names(req.getParameterValues("name[]")));
    }
}
