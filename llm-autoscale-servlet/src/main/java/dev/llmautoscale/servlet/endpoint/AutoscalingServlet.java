package dev.llmautoscale.servlet.endpoint;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.lifecycle.ProbeResult;
import dev.llmautoscale.metrics.ModelMetrics;
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
 *  "queueDepth":3,"activeRequests":8,"inFlight":11,
 *  "maxConcurrency":8,"capacityUtilization":1.0,"kvCacheUtilization":0.82,
 *  "models":{"llama-13b":{"queueDepth":3,"activeRequests":8,"capacityUtilization":1.0,"kvCacheUtilization":0.82}}}
 * }</pre>
 *
 * <p>{@code queueDepth} is requests waiting for admission, {@code activeRequests} requests running,
 * {@code inFlight} their sum. {@code maxConcurrency} and {@code capacityUtilization} (running / limit, 0-1) appear
 * only when a concurrency limit is configured; {@code kvCacheUtilization} (0-1, the highest over models) only once
 * the application reported it. {@code models} holds the same figures per model label (bounded by the cardinality
 * guard). GJSON {@code valueLocation} paths: {@code queueDepth}, {@code capacityUtilization},
 * {@code models.llama-13b.queueDepth} (escape dots in model names: {@code models.llama-2\.13b.queueDepth}).
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
        ModelMetrics[] models = autoscale.metrics().models();
        int queued = 0;
        int running = 0;
        double kv = Double.NaN;
        int[] modelQueued = new int[models.length];
        int[] modelRunning = new int[models.length];
        for (int i = 0; i < models.length; i++) {
            modelQueued[i] = models[i].waiting(); // queue before running: never a false zero
            modelRunning[i] = models[i].running();
            queued += modelQueued[i];
            running += modelRunning[i];
            double k = models[i].kvCacheUtilization();
            if (!Double.isNaN(k) && (Double.isNaN(kv) || k > kv)) {
                kv = k;
            }
        }
        ProbeResult ready = autoscale.lifecycle().readiness();
        int limit = autoscale.admission().limits().maxConcurrency();
        g.writeStartObject();
        g.writeStringProperty("state", ready.state().label());
        g.writeBooleanProperty("ready", ready.ok());
        g.writeNumberProperty("queueDepth", queued);
        g.writeNumberProperty("activeRequests", running);
        g.writeNumberProperty("inFlight", queued + running);
        if (limit > 0) {
            g.writeNumberProperty("maxConcurrency", limit);
            g.writeNumberProperty("capacityUtilization", Math.min(1.0, running / (double) limit));
        }
        if (!Double.isNaN(kv)) {
            g.writeNumberProperty("kvCacheUtilization", kv);
        }
        g.writeName("models");
        g.writeStartObject();
        for (int i = 0; i < models.length; i++) {
            ModelMetrics m = models[i];
            g.writeName(m.label());
            g.writeStartObject();
            g.writeNumberProperty("queueDepth", modelQueued[i]);
            g.writeNumberProperty("activeRequests", modelRunning[i]);
            double capacity = m.capacityUtilization();
            if (!Double.isNaN(capacity)) {
                g.writeNumberProperty("capacityUtilization", capacity);
            }
            double k = m.kvCacheUtilization();
            if (!Double.isNaN(k)) {
                g.writeNumberProperty("kvCacheUtilization", k);
            }
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeEndObject();
    }
}
