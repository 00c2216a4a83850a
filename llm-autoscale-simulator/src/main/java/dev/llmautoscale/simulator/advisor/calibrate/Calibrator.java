package dev.llmautoscale.simulator.advisor.calibrate;

import dev.llmautoscale.simulator.config.ConfigException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Fits the fleet model to a load generator run against one real server and its {@code /metrics} before and after.
 *
 * <p>Per-token time: for each successful request with at least two output tokens, (e2e - TTFT) / (tokens - 1) is
 * its time per output token; its batch is estimated as min(maxBatchSize, requests in flight when it was sent + 1);
 * a least-squares line through (batch - 1, time per token) gives the decode time of a batch of one (intercept) and
 * the growth per extra sequence (slope / intercept). Prefill: over the requests that joined the batch at once
 * (in flight + 1 ≤ maxBatchSize), the median of (TTFT - 1.5 steps) / prompt tokens, the 1.5 steps being the wait
 * for the next step boundary (half a step on average) and the step that produces the first token. Model load and
 * warm-up: the library's {@code llm_warmup_duration_seconds} gauges of the scrape. The admission settings
 * (concurrency, queue, wait, batch) are the server's configuration, which its metrics do not carry; they are given.
 */
public final class Calibrator {

    private Calibrator() {
    }

    /**
     * The server configuration calibrate cannot observe.
     *
     * @param model               the model name
     * @param maxConcurrency      MAX_CONCURRENT_REQUESTS
     * @param queueCapacity       QUEUE_CAPACITY
     * @param maxQueueWaitSeconds MAX_QUEUE_WAIT_SECONDS
     * @param maxBatchSize        MAX_BATCH_SIZE
     */
    public record ServerSettings(String model, int maxConcurrency, int queueCapacity, double maxQueueWaitSeconds,
                                 int maxBatchSize) {
    }

    /**
     * @param run      the load generator run
     * @param before   the scrape before the run
     * @param after    the scrape after it
     * @param settings the server's admission settings
     * @return the calibration
     */
    public static Calibration fit(LoadgenRun run, Scrape before, Scrape after, ServerSettings settings) {
        List<double[]> points = new ArrayList<>();
        List<Double> prefill = new ArrayList<>();
        for (LoadgenRun.Row r : run.ok()) {
            if (r.completionTokens() < 2 || Double.isNaN(r.ttftMs())) {
                continue;
            }
            double tpot = (r.e2eMs() - r.ttftMs()) / (r.completionTokens() - 1);
            int batch = Math.min(settings.maxBatchSize(), r.inFlightAtSend() + 1);
            points.add(new double[] {batch - 1, tpot});
            if (r.inFlightAtSend() + 1 <= settings.maxBatchSize() && r.promptTokens() > 0) {
                prefill.add(Math.max(0, (r.ttftMs() - 1.5 * tpot) / r.promptTokens()));
            }
        }
        if (points.size() < 5) {
            throw new ConfigException(run.file(), "outcome", "only " + points.size() + " successful streamed"
                    + " requests with two or more output tokens; calibrate needs at least 5 (run the load"
                    + " generator with --stream and a few tens of requests)");
        }
        double n = points.size();
        double sx = 0;
        double sy = 0;
        for (double[] p : points) {
            sx += p[0];
            sy += p[1];
        }
        double mx = sx / n;
        double my = sy / n;
        double sxx = 0;
        double sxy = 0;
        for (double[] p : points) {
            sxx += (p[0] - mx) * (p[0] - mx);
            sxy += (p[0] - mx) * (p[1] - my);
        }
        double slope = sxx > 0 ? Math.max(0, sxy / sxx) : 0;
        double decode = Math.max(0.001, my - slope * mx);
        double slowdown = slope / decode;
        double prefillMs = median(prefill);
        String load = "hook=\"load-model";
        String warm = "hook=\"first-inference";
        Scrape s = after.has("llm_warmup_duration_seconds", load) ? after : before;
        if (!s.has("llm_warmup_duration_seconds", load)) {
            throw new ConfigException(after.file(), "llm_warmup_duration_seconds", "no sample with " + load
                    + "...\"}; scrape the server's /metrics after its warm-up");
        }
        double weightLoad = s.sum("llm_warmup_duration_seconds", load);
        double warmUp = s.sum("llm_warmup_duration_seconds", warm);
        double okDelta = after.sum("llm_inference_requests_total", "status=\"success\"")
                - before.sum("llm_inference_requests_total", "status=\"success\"");
        double rejectedDelta = after.sum("llm_inference_requests_total", "status=\"rejected\"")
                - before.sum("llm_inference_requests_total", "status=\"rejected\"");
        String notes = String.format(Locale.ROOT, """
                # Fleet file fitted by `llm-autoscale-simulator calibrate` from %s
                # (%d successful requests, %d refused with 429; the server counted %.0f successes and %.0f
                # rejections between the two scrapes). Per-token time: least squares over %d requests, batch of
                # one %.3f ms/token, +%.1f%% per extra sequence; prefill: median over %d requests that joined the
                # batch at once. Admission settings as given (the metrics do not carry them).
                """, run.file(), run.ok().size(), run.rejected(), okDelta, rejectedDelta, points.size(), decode,
                100 * slowdown, prefill.size());
        return new Calibration(settings.model(), settings.maxConcurrency(), settings.queueCapacity(),
                settings.maxQueueWaitSeconds(), settings.maxBatchSize(), decode, slowdown, prefillMs, weightLoad,
                warmUp, points.size(), notes);
    }

    private static double median(List<Double> v) {
        if (v.isEmpty()) {
            return 0;
        }
        double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }
}
