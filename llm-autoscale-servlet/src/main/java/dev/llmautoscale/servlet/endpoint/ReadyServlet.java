package dev.llmautoscale.servlet.endpoint;

import dev.llmautoscale.lifecycle.InferenceLifecycle;

/**
 * {@code GET /ready}, the readiness probe: 200 only in {@code READY} with every readiness check passing; 503 while
 * starting, warming up, draining or stopped. Body: {@code {"state":"warming_up","ready":false,"reasons":["warming
 * up: running hook 'load-model' (1 of 1)"]}}.
 */
public final class ReadyServlet extends ProbeServlet {

    /**
     * @param lifecycle the lifecycle to report
     */
    public ReadyServlet(InferenceLifecycle lifecycle) {
        super(lifecycle, InferenceLifecycle::readiness, "ready");
    }
}
