package dev.llmautoscale.simulator.sim;

/**
 * A change of spec.replicas.
 *
 * @param t    when
 * @param from the count before
 * @param to   the count after
 */
public record ScaleEvent(double t, int from, int to) {
}
