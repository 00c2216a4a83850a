package dev.llmautoscale.simulator.advisor.calibrate;

import java.util.Locale;

/**
 * A fleet model fitted to a real server.
 *
 * @param model               the model name
 * @param maxConcurrency      admitted at once (from the server's settings)
 * @param queueCapacity       admission queue capacity (from the server's settings)
 * @param maxQueueWaitSeconds longest admission wait (from the server's settings)
 * @param maxBatchSize        sequences decoded together (from the server's settings)
 * @param decodeMsPerToken    fitted: one decode step with a batch of one
 * @param batchSlowdown       fitted: the step's growth per extra sequence in the batch
 * @param prefillMsPerToken   fitted: prefill time per prompt token
 * @param weightLoadSeconds   measured: {@code llm_warmup_duration_seconds{hook="load-model/..."}}
 * @param warmUpSeconds       measured: {@code llm_warmup_duration_seconds{hook="first-inference/..."}}
 * @param samples             successful requests the fit used
 * @param notes               how the figures were obtained, as YAML comment lines
 */
public record Calibration(String model, int maxConcurrency, int queueCapacity, double maxQueueWaitSeconds,
                          int maxBatchSize, double decodeMsPerToken, double batchSlowdown, double prefillMsPerToken,
                          double weightLoadSeconds, double warmUpSeconds, int samples, String notes) {

    /** @return the fleet file (YAML) */
    public String fleetYaml() {
        return notes + String.format(Locale.ROOT, """
                server:
                  model: %s
                  maxConcurrency: %d
                  queueCapacity: %d
                  maxQueueWaitSeconds: %s
                  maxBatchSize: %d
                  prefillMsPerToken: %.4f
                  decodeMsPerToken: %.4f
                  batchSlowdown: %.4f
                coldStart:
                  weightLoad: %.3f
                  warmUp: %.3f
                """, model, maxConcurrency, queueCapacity, num(maxQueueWaitSeconds), maxBatchSize,
                prefillMsPerToken, decodeMsPerToken, batchSlowdown, weightLoadSeconds, warmUpSeconds);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
