package dev.llmautoscale.simulator.sim;

/**
 * What a run comes to.
 *
 * @param offered            requests offered
 * @param served             completed (200)
 * @param rejected           refused by admission, queue full or wait too long (429)
 * @param unavailable        refused with 503: no ready endpoint, model still loading, or the pod draining
 * @param lost               cut when their pod stopped (grace period over, or drain timeout): lost in scale-down
 * @param invalid            longer than the context (400)
 * @param unfinished         still queued or running when the run ended
 * @param queueWaitMs        admission queue wait of served requests
 * @param ttftMs             time to first token of served requests
 * @param e2eMs              end-to-end latency of served requests
 * @param sloTtftMs          the TTFT target
 * @param sloE2eMs           the e2e target
 * @param ttftAttainment     share of offered requests served within the TTFT target
 * @param e2eAttainment      share of offered requests served within the e2e target
 * @param replicaMinutes     minutes of Running pods (loading, ready, terminating)
 * @param podGpuHours        GPU-hours held by scheduled pods
 * @param nodeGpuHours       GPU-hours of the nodes (what is billed)
 * @param cost               nodeGpuHours × price per GPU-hour
 * @param maxNodes           the largest node count
 * @param scaleUps           scale-up events (spec.replicas raised)
 * @param scaleDowns         scale-down events
 * @param thrash             direction reversals within the thrash window
 * @param reactionSeconds    spike start to the first added replica Ready, or NaN
 * @param minReplicas        the lowest spec.replicas of the run
 * @param maxReplicas        the highest spec.replicas of the run
 * @param simulatedSeconds   simulated time
 */
public record Summary(long offered, long served, long rejected, long unavailable, long lost, long invalid,
                      long unfinished, Percentiles queueWaitMs, Percentiles ttftMs, Percentiles e2eMs,
                      double sloTtftMs, double sloE2eMs, double ttftAttainment, double e2eAttainment,
                      double replicaMinutes, double podGpuHours, double nodeGpuHours, double cost, int maxNodes,
                      int scaleUps, int scaleDowns, int thrash, double reactionSeconds, int minReplicas,
                      int maxReplicas, double simulatedSeconds) {

    /**
     * Latency percentiles in milliseconds (NaN when nothing was served).
     *
     * @param p50 median
     * @param p95 95th percentile
     * @param p99 99th percentile
     * @param max maximum
     */
    public record Percentiles(double p50, double p95, double p99, double max) {
    }
}
