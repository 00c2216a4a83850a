package dev.llmautoscale.examples.loadgen;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to send the load.
 *
 * @param baseUrl the server, such as {@code http://localhost:8000}
 * @param api the endpoint
 * @param model the model name, or {@code null} to let the server choose its default
 * @param stream whether to ask for server-sent events (then TTFT is measured, and usage is asked for)
 * @param requestTimeout the longest one request may take, body included
 * @param maxInFlight outstanding requests beyond which new arrivals are dropped (counted) instead of sent
 */
public record LoadConfig(URI baseUrl, Api api, String model, boolean stream, Duration requestTimeout, int maxInFlight) {

    /** Validates the arguments. */
    public LoadConfig {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(api, "api");
        if (baseUrl.getScheme() == null || !(baseUrl.getScheme().equals("http") || baseUrl.getScheme().equals("https"))
                || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("the URL must be http(s)://host[:port], got '" + baseUrl + "'");
        }
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("the request timeout must be positive, got " + requestTimeout);
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("max in-flight must be >= 1, got " + maxInFlight);
        }
    }

    /**
     * @return the full URL of the endpoint
     */
    public URI endpoint() {
        String base = baseUrl.toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + api.path());
    }
}
