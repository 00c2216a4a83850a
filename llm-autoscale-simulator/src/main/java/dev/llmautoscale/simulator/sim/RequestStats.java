package dev.llmautoscale.simulator.sim;

import dev.llmautoscale.simulator.model.Request;
import dev.llmautoscale.simulator.model.RequestSink;
import org.HdrHistogram.Histogram;

/** Counts outcomes and records latencies (microseconds, HdrHistogram, 3 significant digits) of served requests. */
public final class RequestStats implements RequestSink {

    private static final long MAX_MICROS = 7L * 86_400 * 1_000_000;

    final Histogram queueWait = new Histogram(MAX_MICROS, 3);
    final Histogram ttft = new Histogram(MAX_MICROS, 3);
    final Histogram e2e = new Histogram(MAX_MICROS, 3);
    final long[] outcomes = new long[6];
    final long[] stepOutcomes = new long[6];
    long ttftWithinSlo;
    long e2eWithinSlo;
    private final double sloTtft;
    private final double sloE2e;

    /**
     * @param sloTtftSeconds TTFT target
     * @param sloE2eSeconds  e2e target
     */
    public RequestStats(double sloTtftSeconds, double sloE2eSeconds) {
        this.sloTtft = sloTtftSeconds;
        this.sloE2e = sloE2eSeconds;
    }

    @Override
    public void finished(Request r) {
        int o = r.outcome();
        outcomes[o]++;
        stepOutcomes[o]++;
        if (o != Request.SERVED) {
            return;
        }
        double wait = r.admitted() - r.arrival();
        double first = r.firstToken() - r.arrival();
        double total = r.finished() - r.arrival();
        queueWait.recordValue(micros(wait));
        ttft.recordValue(micros(first));
        e2e.recordValue(micros(total));
        if (first <= sloTtft) {
            ttftWithinSlo++;
        }
        if (total <= sloE2e) {
            e2eWithinSlo++;
        }
    }

    private static long micros(double seconds) {
        return Math.min(MAX_MICROS, Math.max(0, Math.round(seconds * 1e6)));
    }

    /** Clears the per-step counters. */
    void resetStep() {
        java.util.Arrays.fill(stepOutcomes, 0);
    }
}
