package dev.llmautoscale.servlet.endpoint;

import dev.llmautoscale.lifecycle.InferenceLifecycle;
import dev.llmautoscale.lifecycle.ProbeResult;
import dev.llmautoscale.servlet.LlmAutoscaleServlets;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;

/**
 * {@code GET /health}, the liveness probe: 200 unless the lifecycle is {@code STOPPED} or a liveness check fails
 * (503). It stays 200 while starting, warming up and draining, so that a slow model load or a drain never gets the
 * process restarted. Body: {@code {"state":"ready","live":true,"reasons":[]}}.
 */
public final class HealthServlet extends HttpServlet {

    private InferenceLifecycle lifecycle;

    /** For {@code web.xml}: the lifecycle comes from the context's {@code LlmAutoscale}. */
    public HealthServlet() {
    }

    /**
     * @param lifecycle the lifecycle to report
     */
    public HealthServlet(InferenceLifecycle lifecycle) {
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
    }

    @Override
    public void init() throws ServletException {
        if (lifecycle == null) {
            lifecycle = LlmAutoscaleServlets.autoscale(getServletContext()).lifecycle();
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ProbeResult live = lifecycle.liveness();
        Json.send(resp, live.ok() ? 200 : 503, Json.probe(live, "live"));
    }
}
