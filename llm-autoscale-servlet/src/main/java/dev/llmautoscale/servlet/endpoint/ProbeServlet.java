package dev.llmautoscale.servlet.endpoint;

import dev.llmautoscale.lifecycle.InferenceLifecycle;
import dev.llmautoscale.lifecycle.ProbeResult;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import java.util.function.Function;

/**
 * A probe answered from the lifecycle: 200 when it passes, 503 when not, with a JSON body of state and reasons.
 * {@link HealthServlet} and {@link ReadyServlet} differ only in which probe they ask.
 */
abstract class ProbeServlet extends HttpServlet {

    private final Function<InferenceLifecycle, ProbeResult> probe;
    private final String field;
    private final InferenceLifecycle lifecycle;

    ProbeServlet(InferenceLifecycle lifecycle, Function<InferenceLifecycle, ProbeResult> probe, String field) {
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
        this.probe = Objects.requireNonNull(probe, "probe");
        this.field = field;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ProbeResult result = probe.apply(lifecycle);
        Json.send(resp, result.ok() ? 200 : 503, Json.probe(result, field));
    }
}
