package dev.llmautoscale.servlet.endpoint;

import dev.llmautoscale.lifecycle.InferenceLifecycle;

/**
 * {@code GET /health}, the liveness probe: 200 unless the lifecycle is {@code STOPPED} or a liveness check fails
 * (503). It stays 200 while starting, warming up and draining, so that a slow model load or a drain never gets the
 * process restarted. Body: {@code {"state":"ready","live":true,"reasons":[]}}.
 */
public final class HealthServlet extends ProbeServlet {

    /**
     * @param lifecycle the lifecycle to report
     */
    public HealthServlet(InferenceLifecycle lifecycle) {
        super(lifecycle, InferenceLifecycle::liveness, "live");
    }
}
