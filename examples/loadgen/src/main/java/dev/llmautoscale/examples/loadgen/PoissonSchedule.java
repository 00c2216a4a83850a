package dev.llmautoscale.examples.loadgen;

import java.util.SplittableRandom;

/**
 * A Poisson process: independent, exponentially distributed gaps with mean {@code 1/rate}, as many independent users
 * produce. Seeded, so a run can be repeated exactly.
 */
public final class PoissonSchedule implements Schedule {

    private final double rate;
    private final int promptTokens;
    private final int maxTokens;
    private final SplittableRandom random;
    private double seconds;

    /**
     * @param rate mean requests per second, &gt; 0
     * @param seed the random seed
     * @param promptTokens prompt tokens per request
     * @param maxTokens output tokens per request
     */
    public PoissonSchedule(double rate, long seed, int promptTokens, int maxTokens) {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("Poisson rate must be a positive number, got " + rate);
        }
        this.rate = rate;
        this.random = new SplittableRandom(seed);
        this.promptTokens = promptTokens;
        this.maxTokens = maxTokens;
    }

    @Override
    public Arrival next() {
        // Inverse transform sampling; 1 - u is in (0, 1], so the log is finite.
        seconds += -Math.log(1 - random.nextDouble()) / rate;
        if (seconds * 1e9 >= Long.MAX_VALUE) {
            return null;
        }
        return new Arrival(Math.round(seconds * 1e9), promptTokens, maxTokens);
    }
}
