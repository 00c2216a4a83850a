package dev.llmautoscale.simulator.sim;

import java.util.List;

/**
 * The outcome of one run.
 *
 * @param label      the scenario's name
 * @param autoscaler the autoscaler's description
 * @param workload   the workload's description
 * @param summary    the figures
 * @param steps      one row per step
 * @param events     spec.replicas changes, in time order
 */
public record SimulationResult(String label, String autoscaler, String workload, Summary summary, StepLog steps,
                               List<ScaleEvent> events) {
}
