package dev.llmautoscale.servlet.endpoint;

import dev.llmautoscale.lifecycle.InferenceLifecycle;
import java.util.Objects;

/**
 * {@code GET /ready}, the readiness probe: 200 only in {@code READY} with every readiness check passing; 503 while
 * starting, warming up, draining or stopped. Body: {@code {"state":"warming_up","ready":false,"reasons":["warming
 * up: running hook 'load-model' (1 of 1)"]}}.
 */
public final class ReadyServlet extends ProbeServlet {

    /** For {@code web.xml}: the lifecycle comes from the context's {@code LlmAutoscale}. */
    public ReadyServlet() {
        super(null, InferenceLifecycle::readiness, "ready");
    }

    /**
     * @param lifecycle the lifecycle to report
     */
    public ReadyServlet(InferenceLifecycle lifecycle) {
        super(Objects.requireNonNull(lifecycle, "lifecycle"), InferenceLifecycle::readiness, "ready");
    }
}
