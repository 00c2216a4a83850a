package dev.llmautoscale.spring.autoconfigure;

/**
 * {@code llm.autoscale.servlet.endpoints.*}: paths of the bare endpoints on the main port; an empty path switches an
 * endpoint off.
 */
public class EndpointsProperties {

    /** Whether the bare endpoints are registered on the application's port. */
    private boolean enabled = ServletDefaults.ENDPOINTS_ENABLED;

    /** Liveness as 200 / 503 with a JSON body (the guide's livenessProbe path). */
    private String health = ServletDefaults.HEALTH;

    /** Readiness as 200 / 503 with the reasons: 503 until warm-up ends and while draining (the guide's readinessProbe path). */
    private String ready = ServletDefaults.READY;

    /** Running plus queued requests as a plain integer, for the guide's preStop loop (curl ... -eq 0). */
    private String activeRequests = ServletDefaults.ACTIVE_REQUESTS;

    /** A Prometheus scrape on the main port (with a PrometheusMeterRegistry bean). */
    private String metrics = ServletDefaults.METRICS;

    /** This replica's load as JSON for KEDA's metrics-api scaler. */
    private String autoscaling = ServletDefaults.AUTOSCALING;

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
    public String getHealth() {
        return health;
    }

    /**
     * @param health liveness as 200 / 503 with a JSON body (the guide's livenessProbe path)
     */
    public void setHealth(String health) {
        this.health = health;
    }

    /**
     * @return readiness as 200 / 503 with the reasons: 503 until warm-up ends and while draining (the guide's readinessProbe path)
     */
    public String getReady() {
        return ready;
    }

    /**
     * @param ready readiness as 200 / 503 with the reasons: 503 until warm-up ends and while draining (the guide's readinessProbe path)
     */
    public void setReady(String ready) {
        this.ready = ready;
    }

    /**
     * @return running plus queued requests as a plain integer, for the guide's preStop loop (curl ... -eq 0)
     */
    public String getActiveRequests() {
        return activeRequests;
    }

    /**
     * @param activeRequests running plus queued requests as a plain integer, for the guide's preStop loop (curl ... -eq 0)
     */
    public void setActiveRequests(String activeRequests) {
        this.activeRequests = activeRequests;
    }

    /**
     * @return a Prometheus scrape on the main port (with a PrometheusMeterRegistry bean)
     */
    public String getMetrics() {
        return metrics;
    }

    /**
     * @param metrics a Prometheus scrape on the main port (with a PrometheusMeterRegistry bean)
     */
    public void setMetrics(String metrics) {
        this.metrics = metrics;
    }

    /**
     * @return this replica's load as JSON for KEDA's metrics-api scaler
     */
    public String getAutoscaling() {
        return autoscaling;
    }

    /**
     * @param autoscaling this replica's load as JSON for KEDA's metrics-api scaler
     */
    public void setAutoscaling(String autoscaling) {
        this.autoscaling = autoscaling;
    }


}
