package dev.llmautoscale.simulator.autoscale;

/** What decides spec.replicas over simulated time: the HPA, KEDA (with its HPA), or a fixed count. */
public interface Autoscaler {

    /**
     * Called at the end of every simulation step; acts when its own period is due.
     *
     * @param t       now
     * @param cluster the cluster as the controllers see it
     */
    void step(double t, ClusterView cluster);

    /** @return the lowest count it sets */
    int minReplicas();

    /** @return the highest count it sets */
    int maxReplicas();

    /** @return a one-line description */
    String describe();
}
