package dev.llmautoscale.simulator.model;

/** Where a simulated pod is in its life. */
public enum PodPhase {
    /** Waiting for a node (none free: a node is being provisioned), or bound and pulling its image. */
    PENDING,
    /** Running, model loading or warming up; not Ready. */
    LOADING,
    /** Running and Ready (a Service endpoint). */
    READY,
    /** Deleted: preStop, then SIGTERM, pre-drain delay, drain and linger, until the process exits or is killed. */
    TERMINATING,
    /** Gone. */
    GONE
}
