package dev.llmautoscale.examples.loadgen;

import java.util.ArrayList;
import java.util.List;

/**
 * A deterministic arrival rate that varies piecewise linearly over time, turned into arrivals by inverting its
 * integral: the k-th request (k = 1, 2, ...) is sent at the time t where the expected count {@code N(t)} (the integral
 * of the rate from 0) reaches k. A constant rate r gives arrivals at 1/r, 2/r, ... seconds; a ramp gives arrivals that
 * get closer together; a spike gives a burst (and nothing before it when its base rate is 0).
 */
public final class RateProfile {

    /**
     * One piece: the rate goes linearly from {@code startRate} to {@code endRate} over {@code [start, end)}
     * (seconds); the last piece may end at infinity.
     */
    private record Piece(double start, double end, double startRate, double endRate) {
        double slope() {
            return Double.isInfinite(end) ? 0 : (endRate - startRate) / (end - start);
        }

        double area() {
            return Double.isInfinite(end) ? Double.POSITIVE_INFINITY : (startRate + endRate) / 2 * (end - start);
        }
    }

    private final List<Piece> pieces;

    private RateProfile(List<Piece> pieces) {
        this.pieces = List.copyOf(pieces);
    }

    /**
     * @param rate requests per second, &gt; 0
     * @return a constant rate
     */
    public static RateProfile constant(double rate) {
        positive("rate", rate);
        return new RateProfile(List.of(new Piece(0, Double.POSITIVE_INFINITY, rate, rate)));
    }

    /**
     * @param from the rate at time 0, requests per second (may be 0)
     * @param to the rate reached at {@code overSeconds} and kept after
     * @param overSeconds the ramp length
     * @return a linear ramp
     */
    public static RateProfile ramp(double from, double to, double overSeconds) {
        nonNegative("ramp start rate", from);
        positive("ramp end rate", to);
        positive("ramp length", overSeconds);
        return new RateProfile(List.of(new Piece(0, overSeconds, from, to),
                new Piece(overSeconds, Double.POSITIVE_INFINITY, to, to)));
    }

    /**
     * @param base the rate before and after the spike, requests per second (may be 0)
     * @param peak the rate during the spike
     * @param atSeconds when the spike starts
     * @param lengthSeconds how long it lasts
     * @return a base rate with a rectangular spike
     */
    public static RateProfile spike(double base, double peak, double atSeconds, double lengthSeconds) {
        nonNegative("spike base rate", base);
        positive("spike peak rate", peak);
        nonNegative("spike start", atSeconds);
        positive("spike length", lengthSeconds);
        List<Piece> p = new ArrayList<>();
        if (atSeconds > 0) {
            p.add(new Piece(0, atSeconds, base, base));
        }
        p.add(new Piece(atSeconds, atSeconds + lengthSeconds, peak, peak));
        p.add(new Piece(atSeconds + lengthSeconds, Double.POSITIVE_INFINITY, base, base));
        return new RateProfile(p);
    }

    /**
     * The expected number of arrivals in {@code [0, t)}.
     *
     * @param seconds t
     * @return the integral of the rate from 0 to t
     */
    public double expectedCount(double seconds) {
        double sum = 0;
        for (Piece p : pieces) {
            if (seconds <= p.start()) {
                break;
            }
            double u = Math.min(seconds, p.end()) - p.start();
            sum += p.startRate() * u + p.slope() * u * u / 2;
        }
        return sum;
    }

    /**
     * The time at which the expected count reaches {@code k}.
     *
     * @param k the count, &gt;= 0
     * @return seconds, or infinity when the rate never gets there (it stays at 0)
     */
    public double timeOf(double k) {
        double left = k;
        for (Piece p : pieces) {
            double area = p.area();
            if (left <= area || Double.isInfinite(area)) {
                double a = p.startRate();
                double b = p.slope();
                double disc = a * a + 2 * b * left;
                double denominator = a + Math.sqrt(Math.max(0, disc));
                if (left == 0) {
                    return p.start();
                }
                if (denominator <= 0) {
                    return Double.POSITIVE_INFINITY;
                }
                // u solves a*u + b*u^2/2 = left; this form is stable for b = 0 and small b.
                double u = 2 * left / denominator;
                return Math.min(p.start() + u, p.end());
            }
            left -= area;
        }
        return Double.POSITIVE_INFINITY;
    }

    /**
     * Arrivals at the inverted times, each with the same token counts.
     *
     * @param promptTokens prompt tokens per request
     * @param maxTokens output tokens per request
     * @return the schedule (unbounded: bound it with {@link Schedule#bounded})
     */
    public Schedule schedule(int promptTokens, int maxTokens) {
        return new Schedule() {
            private long k;

            @Override
            public Arrival next() {
                double t = timeOf(k + 1);
                if (Double.isInfinite(t) || t * 1e9 >= Long.MAX_VALUE) {
                    return null;
                }
                k++;
                return new Arrival(Math.round(t * 1e9), promptTokens, maxTokens);
            }
        };
    }

    private static void positive(String what, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(what + " must be a positive number, got " + v);
        }
    }

    private static void nonNegative(String what, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(what + " must be a number >= 0, got " + v);
        }
    }
}
