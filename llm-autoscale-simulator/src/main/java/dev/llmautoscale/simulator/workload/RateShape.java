package dev.llmautoscale.simulator.workload;

import java.util.Arrays;
import java.util.Locale;

/**
 * An arrival rate over time (requests per second). {@link RateWorkload} turns it into arrivals one second at a time,
 * using the rate at the middle of each second (exact for constant pieces and linear ramps).
 */
public interface RateShape {

    /**
     * @param t seconds from the start
     * @return requests per second at t, &gt;= 0
     */
    double rate(double t);

    /** @return a description */
    String describe();

    /**
     * @param r the rate
     * @return a constant rate
     */
    static RateShape constant(double r) {
        return shape(t -> r, String.format(Locale.ROOT, "constant %.3g req/s", r));
    }

    /**
     * @param from rate at 0
     * @param to   rate at {@code over} and after
     * @param over ramp length
     * @return a linear ramp
     */
    static RateShape ramp(double from, double to, double over) {
        return shape(t -> t >= over ? to : from + (to - from) * t / over,
                String.format(Locale.ROOT, "ramp %.3g -> %.3g req/s over %.0f s", from, to, over));
    }

    /**
     * @param base   rate outside the spike
     * @param peak   rate during the spike
     * @param at     spike start
     * @param length spike length
     * @return a rectangular spike
     */
    static RateShape spike(double base, double peak, double at, double length) {
        return shape(t -> t >= at && t < at + length ? peak : base,
                String.format(Locale.ROOT, "spike %.3g -> %.3g req/s at %.0f s for %.0f s", base, peak, at, length));
    }

    /**
     * @param mean      the daily mean rate
     * @param amplitude the swing either side of the mean
     * @param period    the period (86400 for a day)
     * @param peakAt    when the rate peaks
     * @return a cosine day curve, never below 0
     */
    static RateShape diurnal(double mean, double amplitude, double period, double peakAt) {
        return shape(t -> Math.max(0, mean + amplitude * Math.cos(2 * Math.PI * (t - peakAt) / period)),
                String.format(Locale.ROOT, "diurnal mean %.3g +- %.3g req/s, period %.0f s, peak at %.0f s", mean,
                        amplitude, period, peakAt));
    }

    /**
     * @param base        the rate between bursts
     * @param burstRate   the rate added during a burst
     * @param burstStarts burst start times (sorted)
     * @param length      burst length
     * @return base plus rectangular bursts
     */
    static RateShape bursts(double base, double burstRate, double[] burstStarts, double length) {
        double[] starts = burstStarts.clone();
        return shape(t -> {
            int i = Arrays.binarySearch(starts, t);
            int idx = i >= 0 ? i : -i - 2;
            return idx >= 0 && t < starts[idx] + length ? base + burstRate : base;
        }, String.format(Locale.ROOT, "%d bursts of +%.3g req/s for %.0f s over %.3g req/s", starts.length, burstRate,
                length, base));
    }

    /**
     * @param times  sample times, increasing, the first at 0
     * @param rates  the rate from each time until the next
     * @param source where it came from
     * @return a step function
     */
    static RateShape series(double[] times, double[] rates, String source) {
        double[] ts = times.clone();
        double[] rs = rates.clone();
        return shape(t -> {
            int i = Arrays.binarySearch(ts, t);
            int idx = i >= 0 ? i : -i - 2;
            return idx < 0 ? 0 : rs[idx];
        }, String.format(Locale.ROOT, "rate series from %s (%d points)", source, ts.length));
    }

    private static RateShape shape(java.util.function.DoubleUnaryOperator f, String text) {
        return new RateShape() {
            @Override
            public double rate(double t) {
                return f.applyAsDouble(t);
            }

            @Override
            public String describe() {
                return text;
            }
        };
    }
}
