package dev.llmautoscale.simulator.autoscale;

/** No autoscaler: spec.replicas stays where it is (a baseline for comparisons, and for model tests). */
public final class FixedReplicas implements Autoscaler {

    private final int replicas;

    /** @param replicas the count */
    public FixedReplicas(int replicas) {
        this.replicas = replicas;
    }

    @Override
    public void step(double t, ClusterView cluster) {
        cluster.deployment().setReplicas(replicas);
    }

    @Override
    public int minReplicas() {
        return replicas;
    }

    @Override
    public int maxReplicas() {
        return replicas;
    }

    @Override
    public String describe() {
        return "fixed " + replicas + " replicas (no autoscaler)";
    }
}
