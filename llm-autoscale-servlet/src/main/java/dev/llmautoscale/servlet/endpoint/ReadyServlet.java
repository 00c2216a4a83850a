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
 * {@code GET /ready}, the readiness probe: 200 only in {@code READY} with every readiness check passing; 503 while
 * starting, warming up, draining or stopped. Body: {@code {"state":"warming_up","ready":false,"reasons":["warming
 * up: running hook 'load-model' (1 of 1)"]}}.
 */
public final class ReadyServlet extends HttpServlet {

    private InferenceLifecycle lifecycle;

    /** For {@code web.xml}: the lifecycle comes from the context's {@code LlmAutoscale}. */
    public ReadyServlet() {
    }

    /**
     * @param lifecycle the lifecycle to report
     */
    public ReadyServlet(InferenceLifecycle lifecycle) {
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
        ProbeResult ready = lifecycle.readiness();
        Json.send(resp, ready.ok() ? 200 : 503, Json.probe(ready, "ready"));
    }
}
