package dev.llmautoscale.simulator.workload;

import dev.llmautoscale.simulator.config.Distribution;
import dev.llmautoscale.simulator.model.Request;
import java.util.SplittableRandom;

/**
 * Arrivals from a {@link RateShape}: the k-th request arrives where the expected count (the integral of the rate)
 * reaches k (evenly spaced, as the load generator's RateProfile), or, for Poisson arrivals, where it reaches a sum of
 * k unit exponentials (seeded). Token counts are drawn from their distributions with the same seeded stream.
 */
public final class RateWorkload implements Workload {

    private final RateShape shape;
    private final boolean poisson;
    private final Distribution prompt;
    private final Distribution output;
    private final double duration;
    private final double spikeStart;
    private final SplittableRandom random;
    private int cell;
    private double cellStartCount;
    private double cellRate;
    private double target;
    private long nextId = 1;
    private double pendingTime = Double.NaN;

    /**
     * @param shape      the rate
     * @param poisson    Poisson arrivals (else evenly spaced)
     * @param prompt     prompt token distribution
     * @param output     output token distribution
     * @param duration   seconds of arrivals
     * @param spikeStart spike start for reports, or NaN
     * @param seed       the random seed
     */
    public RateWorkload(RateShape shape, boolean poisson, Distribution prompt, Distribution output, double duration,
                        double spikeStart, long seed) {
        this.shape = shape;
        this.poisson = poisson;
        this.prompt = prompt;
        this.output = output;
        this.duration = duration;
        this.spikeStart = spikeStart;
        this.random = new SplittableRandom(seed);
        this.cellRate = shape.rate(0.5);
        this.target = step();
    }

    private double step() {
        return poisson ? -Math.log(1 - random.nextDouble()) : 1;
    }

    @Override
    public Request next(double until) {
        if (Double.isNaN(pendingTime)) {
            pendingTime = locate();
        }
        if (pendingTime >= until || pendingTime >= duration) {
            return null;
        }
        double t = pendingTime;
        pendingTime = Double.NaN;
        target += step();
        int p = (int) Math.max(1, Math.round(prompt.sample(random)));
        int o = (int) Math.max(1, Math.round(output.sample(random)));
        return new Request(nextId++, t, p, o);
    }

    /** The time at which the expected count reaches {@code target}, or +inf past the duration. */
    private double locate() {
        while (true) {
            if (cell >= duration) {
                return Double.POSITIVE_INFINITY;
            }
            if (cellRate > 0 && cellStartCount + cellRate >= target) {
                return cell + (target - cellStartCount) / cellRate;
            }
            cellStartCount += cellRate;
            cell++;
            cellRate = shape.rate(cell + 0.5);
        }
    }

    @Override
    public double durationSeconds() {
        return duration;
    }

    @Override
    public double spikeStartSeconds() {
        return spikeStart;
    }

    @Override
    public String describe() {
        return shape.describe() + (poisson ? ", Poisson arrivals" : ", evenly spaced arrivals") + ", prompt "
                + prompt + " tokens, output " + output + " tokens, " + (long) duration + " s";
    }
}
