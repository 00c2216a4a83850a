package dev.llmautoscale.servlet.endpoint;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.lifecycle.ProbeResult;
import dev.llmautoscale.metrics.LoadSnapshot;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import tools.jackson.core.JsonGenerator;

/**
 * {@code GET /autoscaling}: this replica's load as JSON for KEDA's {@code metrics-api} scaler, so KEDA can scale
 * without a Prometheus server.
 *
 * <pre>{@code
 * {"state":"ready","ready":true,
 *  "queued":3,"running":8,"inFlight":11,
 *  "maxConcurrency":8,"capacityUtilization":1.0,"kvCacheUtilization":0.82,
 *  "models":{"llama-13b":{"queued":3,"running":8,"capacityUtilization":1.0,"kvCacheUtilization":0.82}}}
 * }</pre>
 *
 * <p>Every figure comes from one {@link LoadSnapshot}. {@code queued} is requests waiting for admission,
 * {@code running} requests running,
 * {@code inFlight} their sum. {@code maxConcurrency} and {@code capacityUtilization} (running / limit, 0-1) appear
 * only when a concurrency limit is configured; {@code kvCacheUtilization} (0-1, the highest over models) only once
 * the application reported it. {@code models} holds the same figures per model label (bounded by the cardinality
 * guard). GJSON {@code valueLocation} paths: {@code queued}, {@code capacityUtilization},
 * {@code models.llama-13b.queued} (escape dots in model names: {@code models.llama-2\.13b.queued}).
 */
public final class AutoscalingServlet extends HttpServlet {

    private final LlmAutoscale autoscale;

    /**
     * @param autoscale whose figures to report
     */
    public AutoscalingServlet(LlmAutoscale autoscale) {
        this.autoscale = Objects.requireNonNull(autoscale, "autoscale");
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Json.send(resp, 200, Json.write(this::write));
    }

    private void write(JsonGenerator g) {
        LoadSnapshot load = autoscale.load();
        ProbeResult ready = autoscale.lifecycle().readiness();
        g.writeStartObject();
        g.writeStringProperty("state", load.state().label());
        g.writeBooleanProperty("ready", ready.ok());
        g.writeNumberProperty("queued", load.queued());
        g.writeNumberProperty("running", load.running());
        g.writeNumberProperty("inFlight", load.inFlight());
        if (load.capacity() > 0) {
            g.writeNumberProperty("maxConcurrency", load.capacity());
            g.writeNumberProperty("capacityUtilization", load.capacityUtilization());
        }
        if (!Double.isNaN(load.kvCacheUtilization())) {
            g.writeNumberProperty("kvCacheUtilization", load.kvCacheUtilization());
        }
        g.writeName("models");
        g.writeStartObject();
        for (LoadSnapshot.ModelLoad m : load.models()) {
            g.writeName(m.model());
            g.writeStartObject();
            g.writeNumberProperty("queued", m.queued());
            g.writeNumberProperty("running", m.running());
            if (!Double.isNaN(m.capacityUtilization())) {
                g.writeNumberProperty("capacityUtilization", m.capacityUtilization());
            }
            if (!Double.isNaN(m.kvCacheUtilization())) {
                g.writeNumberProperty("kvCacheUtilization", m.kvCacheUtilization());
            }
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeEndObject();
    }
}
