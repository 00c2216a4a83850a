package dev.llmautoscale.spring.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * {@code llm.autoscale.servlet.endpoints.*}: paths of the bare endpoints on the main port; an empty path switches an
 * endpoint off.
 */
public class EndpointsProperties {

    /** Whether the bare endpoints are registered on the application's port. */
    private boolean enabled = ServletDefaults.ENDPOINTS_ENABLED;

    /** Liveness as 200 / 503 with a JSON body (the guide's livenessProbe path). */
    private @Nullable String health = ServletDefaults.HEALTH;

    /** Readiness as 200 / 503 with the reasons: 503 until warm-up ends and while draining (the guide's readinessProbe path). */
    private @Nullable String ready = ServletDefaults.READY;

    /** Running plus queued requests as a plain integer, for the guide's preStop loop (curl ... -eq 0). */
    private @Nullable String activeRequests = ServletDefaults.ACTIVE_REQUESTS;

    /** A Prometheus scrape on the main port (with a PrometheusMeterRegistry bean). */
    private @Nullable String metrics = ServletDefaults.METRICS;

    /** This replica's load as JSON for KEDA's metrics-api scaler. */
    private @Nullable String autoscaling = ServletDefaults.AUTOSCALING;

    /**
     * @return whether the bare endpoints are registered on the application's port
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * @param enabled whether the bare endpoints are registered on the application's port
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * @return liveness as 200 / 503 with a JSON body (the guide's livenessProbe path)
     */
    public @Nullable String getHealth() {
        return health;
    }

    /**
     * @param health liveness as 200 / 503 with a JSON body (the guide's livenessProbe path)
     */
    public void setHealth(@Nullable String health) {
        this.health = health;
    }

    /**
     * @return readiness as 200 / 503 with the reasons: 503 until warm-up ends and while draining (the guide's readinessProbe path)
     */
    public @Nullable String getReady() {
        return ready;
    }

    /**
     * @param ready readiness as 200 / 503 with the reasons: 503 until warm-up ends and while draining (the guide's readinessProbe path)
     */
    public void setReady(@Nullable String ready) {
        this.ready = ready;
    }

    /**
     * @return running plus queued requests as a plain integer, for the guide's preStop loop (curl ... -eq 0)
     */
    public @Nullable String getActiveRequests() {
        return activeRequests;
    }

    /**
     * @param activeRequests running plus queued requests as a plain integer, for the guide's preStop loop (curl ... -eq 0)
     */
    public void setActiveRequests(@Nullable String activeRequests) {
        this.activeRequests = activeRequests;
    }

    /**
     * @return a Prometheus scrape on the main port (with a PrometheusMeterRegistry bean)
     */
    public @Nullable String getMetrics() {
        return metrics;
    }

    /**
     * @param metrics a Prometheus scrape on the main port (with a PrometheusMeterRegistry bean)
     */
    public void setMetrics(@Nullable String metrics) {
        this.metrics = metrics;
    }

    /**
     * @return this replica's load as JSON for KEDA's metrics-api scaler
     */
    public @Nullable String getAutoscaling() {
        return autoscaling;
    }

    /**
     * @param autoscaling this replica's load as JSON for KEDA's metrics-api scaler
     */
    public void setAutoscaling(@Nullable String autoscaling) {
        this.autoscaling = autoscaling;
    }


}
