package dev.llmautoscale.servlet.endpoint;

import java.util.LinkedHashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Content negotiation of a Prometheus scrape. */
final class Scrapes {

    /** Prometheus text format 0.0.4. */
    static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
    /** OpenMetrics text 1.0.0. */
    static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private Scrapes() {
    }

    /**
     * @param accept the request's Accept header, or {@code null}
     * @return OpenMetrics when the scraper accepts it (as Prometheus does), else the text format
     */
    static String contentType(@Nullable String accept) {
        return accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS : TEXT;
    }

    /**
     * @param names the values of the {@code name[]} query parameter (Prometheus' filter), or {@code null}
     * @return the metric names to include, or {@code null} for all
     */
    static @Nullable Set<String> names(@Nullable String @Nullable [] names) {
        if (names == null || names.length == 0) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        for (String n : names) {
            if (n != null && !n.isBlank()) {
                out.add(n.trim());
            }
        }
        return out.isEmpty() ? null : out;
    }
}
