package dev.llmautoscale.metrics;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Default histogram bucket boundaries, in seconds.
 *
 * <p>The request duration uses the guide's exporter buckets exactly; the LLM-specific histograms use vLLM's
 * boundaries so dashboards and alerts written for vLLM read the same way.
 */
public final class Buckets {

    /** The guide's {@code llm_inference_duration_seconds} buckets: 0.1 0.5 1 2 5 10 30 60. */
    public static final List<Double> GUIDE_DURATION = List.of(0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0);

    /** vLLM's time-to-first-token buckets. */
    public static final List<Double> TIME_TO_FIRST_TOKEN = List.of(0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1,
            0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0);

    /** vLLM's inter-token latency buckets, used for time per output token. */
    public static final List<Double> TIME_PER_OUTPUT_TOKEN = List.of(0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3,
            0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0);

    /** vLLM's request latency buckets, which vLLM also uses for its queue time histogram. */
    public static final List<Double> QUEUE_TIME = List.of(0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0,
            30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0);

    private Buckets() {
    }

    /**
     * Checks a bucket list and converts it to Micrometer service-level objectives.
     *
     * @param what the histogram, for error messages
     * @param seconds boundaries in seconds, strictly increasing, positive and finite
     * @return the boundaries as durations
     * @throws IllegalArgumentException when the list is empty, unsorted or holds a bad value
     */
    static Duration[] toDurations(String what, List<Double> seconds) {
        if (seconds == null || seconds.isEmpty()) {
            throw new IllegalArgumentException(what + " buckets must not be empty");
        }
        Duration[] out = new Duration[seconds.size()];
        double previous = 0;
        for (int i = 0; i < out.length; i++) {
            Double s = seconds.get(i);
            if (s == null || !(s > previous) || s.isInfinite()) {
                throw new IllegalArgumentException(what + " buckets must be positive, finite and strictly increasing: "
                        + seconds);
            }
            previous = s;
            out[i] = Duration.ofNanos(Math.round(s * 1e9));
        }
        return out;
    }

    static String describe(List<Double> seconds) {
        return Arrays.toString(seconds.toArray());
    }
}
