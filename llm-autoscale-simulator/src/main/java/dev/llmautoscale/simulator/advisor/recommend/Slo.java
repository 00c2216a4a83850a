package dev.llmautoscale.simulator.advisor.recommend;

import dev.llmautoscale.simulator.sim.Summary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a recommended config must meet: a p95 bound on TTFT or on the admission queue wait, a share of rejected
 * requests, and no request lost in scale-down.
 *
 * @param p95TtftMs        the p95 time-to-first-token bound, or NaN for none
 * @param p95QueueWaitMs   the p95 queue-wait bound, or NaN for none
 * @param maxRejectedShare the largest share of offered requests refused (429 and 503), 0 to 1
 */
public record Slo(double p95TtftMs, double p95QueueWaitMs, double maxRejectedShare) {

    /**
     * @param s a run's summary
     * @return how far the run misses the SLO: 0 when it meets it, else the sum of the relative misses
     */
    public double violation(Summary s) {
        double v = 0;
        if (!Double.isNaN(p95TtftMs)) {
            v += over(p95(s.ttftMs().p95()), p95TtftMs);
        }
        if (!Double.isNaN(p95QueueWaitMs)) {
            v += over(p95(s.queueWaitMs().p95()), Math.max(p95QueueWaitMs, 1));
        }
        v += over(refusedShare(s), Math.max(maxRejectedShare, 1e-6));
        if (s.lost() > 0) {
            v += 1 + s.lost() / (double) Math.max(1, s.offered()) * 100;
        }
        return v;
    }

    /**
     * @param s a run's summary
     * @return the SLO lines it misses (empty: it meets the SLO)
     */
    public List<String> misses(Summary s) {
        List<String> out = new ArrayList<>();
        if (!Double.isNaN(p95TtftMs) && p95(s.ttftMs().p95()) > p95TtftMs) {
            out.add(String.format(Locale.ROOT, "p95 TTFT %.0f ms > %.0f ms", s.ttftMs().p95(), p95TtftMs));
        }
        if (!Double.isNaN(p95QueueWaitMs) && p95(s.queueWaitMs().p95()) > p95QueueWaitMs) {
            out.add(String.format(Locale.ROOT, "p95 queue wait %.0f ms > %.0f ms", s.queueWaitMs().p95(),
                    p95QueueWaitMs));
        }
        if (refusedShare(s) > maxRejectedShare) {
            out.add(String.format(Locale.ROOT, "%.2f%% refused > %.2f%%", 100 * refusedShare(s),
                    100 * maxRejectedShare));
        }
        if (s.lost() > 0) {
            out.add(s.lost() + " requests lost in scale-down");
        }
        return out;
    }

    /**
     * @param s a run's summary
     * @return the share of offered requests refused with 429 or 503
     */
    public static double refusedShare(Summary s) {
        return s.offered() == 0 ? 0 : (double) (s.rejected() + s.unavailable()) / s.offered();
    }

    private static double p95(double v) {
        return Double.isNaN(v) ? Double.POSITIVE_INFINITY : v;
    }

    private static double over(double value, double bound) {
        return value <= bound ? 0 : Math.min(10, (value - bound) / bound);
    }
}
