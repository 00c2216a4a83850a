package dev.llmautoscale.simulator.sim;

/**
 * How a simulation runs and what its summary measures.
 *
 * @param seed                 the seed of every random stream (arrivals, tokens, cold starts, routing)
 * @param stepSeconds          the simulation step (lifecycle, scrapes and controllers act at step boundaries)
 * @param sloTtftMs            the time-to-first-token target for SLO attainment
 * @param sloE2eMs             the end-to-end latency target for SLO attainment
 * @param thrashWindowSeconds  a scale event in the other direction within this long of the previous one is a
 *                             reversal (thrash)
 * @param rollingRestartAt     when to start a rolling restart of the Deployment, or NaN for none
 */
public record RunOptions(long seed, double stepSeconds, double sloTtftMs, double sloE2eMs, double thrashWindowSeconds,
                         double rollingRestartAt) {

    /** @return seed 1, 1 s steps, SLO TTFT 2 s and e2e 30 s, thrash window 600 s, no restart */
    public static RunOptions defaults() {
        return new RunOptions(1, 1, 2000, 30_000, 600, Double.NaN);
    }
}
