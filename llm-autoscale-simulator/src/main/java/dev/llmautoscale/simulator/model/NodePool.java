package dev.llmautoscale.simulator.model;

import dev.llmautoscale.simulator.config.FleetConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The GPU node pool with a cluster autoscaler: a pod that fits on no node triggers a new node (ready after the
 * provisioning time), up to {@code maxNodes}; a node empty for {@code nodeScaleDownDelaySeconds} is removed. Nodes
 * are billed per GPU from the moment they are requested until removed.
 */
public final class NodePool {

    /** One node. */
    public static final class Node {
        final int id;
        final double readyAt;
        int freeGpus;
        boolean imagePulled;
        double emptySince;

        Node(int id, double readyAt, int gpus) {
            this.id = id;
            this.readyAt = readyAt;
            this.freeGpus = gpus;
            this.emptySince = readyAt;
        }

        /** @return when the node joined (or joins) the cluster */
        public double readyAt() {
            return readyAt;
        }
    }

    private final FleetConfig.NodePool cfg;
    private final FleetConfig.ColdStart coldStart;
    private final SplittableRandom random;
    private final List<Node> nodes = new ArrayList<>();
    private int nextId;
    private double gpuSeconds;
    private int maxNodesSeen;

    /**
     * @param cfg       the pool
     * @param coldStart node provisioning time
     * @param random    the random stream for provisioning times
     * @param initial   nodes present (ready, image pulled) at time 0
     */
    public NodePool(FleetConfig.NodePool cfg, FleetConfig.ColdStart coldStart, SplittableRandom random, int initial) {
        this.cfg = cfg;
        this.coldStart = coldStart;
        this.random = random;
        for (int i = 0; i < initial; i++) {
            Node n = new Node(nextId++, 0, cfg.gpusPerNode());
            n.imagePulled = true;
            nodes.add(n);
        }
        maxNodesSeen = nodes.size();
    }

    /**
     * Places a pod: on a node with room (ready or still provisioning), else on a new node when the pool may grow.
     *
     * @param gpus the pod's GPUs
     * @param t    now
     * @return the node, or null when the pool is full (the pod stays Pending)
     */
    public Node place(int gpus, double t) {
        Node best = null;
        for (Node n : nodes) {
            if (n.freeGpus >= gpus && (best == null || n.readyAt < best.readyAt)) {
                best = n;
            }
        }
        if (best == null && nodes.size() < cfg.maxNodes() && gpus <= cfg.gpusPerNode()) {
            best = new Node(nextId++, t + coldStart.nodeProvisioning().sample(random), cfg.gpusPerNode());
            nodes.add(best);
            maxNodesSeen = Math.max(maxNodesSeen, nodes.size());
        }
        if (best != null) {
            best.freeGpus -= gpus;
        }
        return best;
    }

    /**
     * @param n    the node
     * @param gpus the GPUs the pod held
     * @param t    now
     */
    public void release(Node n, int gpus, double t) {
        n.freeGpus += gpus;
        if (n.freeGpus == cfg.gpusPerNode()) {
            n.emptySince = Math.max(t, n.readyAt);
        }
    }

    /**
     * Bills the step and removes nodes empty for long enough.
     *
     * @param t  the end of the step
     * @param dt the step length
     */
    public void step(double t, double dt) {
        gpuSeconds += (double) nodes.size() * cfg.gpusPerNode() * dt;
        nodes.removeIf(n -> n.freeGpus == cfg.gpusPerNode() && t >= n.readyAt
                && t - n.emptySince >= cfg.nodeScaleDownDelaySeconds());
    }

    /**
     * @param n a node
     * @return whether the pod image must be pulled there (and records that it now is)
     */
    public boolean pullImage(Node n) {
        boolean pull = !(coldStart.imagePullCached() && n.imagePulled);
        n.imagePulled = true;
        return pull;
    }

    /** @return nodes now (ready or provisioning) */
    public int size() {
        return nodes.size();
    }

    /** @return the largest node count seen */
    public int maxNodesSeen() {
        return maxNodesSeen;
    }

    /** @return GPU-seconds billed so far */
    public double gpuSeconds() {
        return gpuSeconds;
    }
}
