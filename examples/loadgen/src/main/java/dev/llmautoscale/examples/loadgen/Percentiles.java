package dev.llmautoscale.examples.loadgen;

import java.util.Arrays;

/**
 * Percentiles by the nearest-rank method: the p-th percentile of n sorted values is the value at rank
 * {@code ceil(p / 100 * n)} (1-based), so it is always one of the observed values and p100 is the maximum.
 */
public final class Percentiles {

    private final double[] sorted;

    /**
     * @param values the observations (NaN values are ignored); copied and sorted
     */
    public Percentiles(double[] values) {
        this.sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
    }

    /**
     * @return how many observations there are
     */
    public int count() {
        return sorted.length;
    }

    /**
     * @param p the percentile, in (0, 100]
     * @return the value, or NaN when there are no observations
     */
    public double percentile(double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
        }
        if (sorted.length == 0) {
            return Double.NaN;
        }
        // The small epsilon keeps 0.95 * 20 = 19.000000000000004 at rank 19.
        int rank = (int) Math.ceil(p / 100 * sorted.length - 1e-9);
        return sorted[Math.max(1, rank) - 1];
    }

    /**
     * @return the largest value, or NaN when empty
     */
    public double max() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }
}
