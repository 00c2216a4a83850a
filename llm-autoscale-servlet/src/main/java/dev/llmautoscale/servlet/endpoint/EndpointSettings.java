package dev.llmautoscale.servlet.endpoint;

import dev.llmautoscale.settings.Problems;
import org.jspecify.annotations.Nullable;

/**
 * Which bare endpoints are registered, and where ({@link EndpointKeys}). A {@code null} path is off.
 *
 * @param enabled whether any endpoint is registered
 * @param health the liveness path
 * @param ready the readiness path
 * @param activeRequests the running-plus-queued count path
 * @param metrics the Prometheus scrape path
 * @param autoscaling the KEDA metrics-api path
 */
public record EndpointSettings(boolean enabled, @Nullable String health, @Nullable String ready,
        @Nullable String activeRequests, @Nullable String metrics, @Nullable String autoscaling) {

    /**
     * Validates the paths.
     *
     * @param enabled whether any endpoint is registered
     * @param health the liveness path
     * @param ready the readiness path
     * @param activeRequests the running-plus-queued count path
     * @param metrics the Prometheus scrape path
     * @param autoscaling the KEDA metrics-api path
     * @throws dev.llmautoscale.settings.InvalidSettingsException naming each bad key
     */
    public EndpointSettings {
        health = blankToNull(health);
        ready = blankToNull(ready);
        activeRequests = blankToNull(activeRequests);
        metrics = blankToNull(metrics);
        autoscaling = blankToNull(autoscaling);
        new Problems()
                .check(EndpointKeys.HEALTH, health)
                .check(EndpointKeys.READY, ready)
                .check(EndpointKeys.ACTIVE_REQUESTS, activeRequests)
                .check(EndpointKeys.METRICS, metrics)
                .check(EndpointKeys.AUTOSCALING, autoscaling)
                .throwIfAny();
    }

    /**
     * @return the defaults: every endpoint on at its guide path
     */
    public static EndpointSettings defaults() {
        return new EndpointSettings(EndpointKeys.ENABLED.defaultValue(), EndpointKeys.HEALTH.defaultValue(),
                EndpointKeys.READY.defaultValue(), EndpointKeys.ACTIVE_REQUESTS.defaultValue(),
                EndpointKeys.METRICS.defaultValue(), EndpointKeys.AUTOSCALING.defaultValue());
    }

    static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
