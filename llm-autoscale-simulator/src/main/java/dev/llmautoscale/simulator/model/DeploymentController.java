package dev.llmautoscale.simulator.model;

import dev.llmautoscale.simulator.config.DeploymentSpec;
import dev.llmautoscale.simulator.config.FleetConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The Deployment and its ReplicaSets: keeps {@code spec.replicas} pods, deletes the ones the ReplicaSet controller
 * would delete first on a scale-down (unscheduled, then Pending, then not Ready, then the most recently Ready, then
 * the newest), and runs a rolling restart within maxSurge / maxUnavailable.
 */
public final class DeploymentController {

    /** The ReplicaSet controller's deletion order at time t (first to delete first). */
    private static Comparator<Pod> deleteFirst(double t) {
        return Comparator.comparing((Pod p) -> p.isScheduled() ? 1 : 0)
                .thenComparing(p -> p.phase(t) == PodPhase.PENDING ? 0 : 1)
                .thenComparing(p -> p.phase(t) == PodPhase.READY ? 1 : 0)
                .thenComparing(p -> p.phase(t) == PodPhase.READY ? p.readyAt() : 0, Comparator.reverseOrder())
                .thenComparing(Pod::created, Comparator.reverseOrder())
                .thenComparing(Pod::name, Comparator.reverseOrder());
    }

    private final FleetConfig fleet;
    private final DeploymentSpec spec;
    private final NodePool pool;
    private final RequestSink sink;
    private final SplittableRandom random;
    private final int gpusPerPod;
    private final List<Pod> pods = new ArrayList<>();
    private final List<Pod> allPods = new ArrayList<>();
    private int replicas;
    private int revision;
    private int nextPod;

    /**
     * @param fleet    the fleet
     * @param spec     the Deployment
     * @param pool     the node pool
     * @param sink     receives every request's outcome
     * @param random   the random stream for cold starts
     * @param initial  pods Ready at time 0
     */
    public DeploymentController(FleetConfig fleet, DeploymentSpec spec, NodePool pool, RequestSink sink,
                                SplittableRandom random, int initial) {
        this.fleet = fleet;
        this.spec = spec;
        this.pool = pool;
        this.sink = sink;
        this.random = random;
        int g = fleet.resources().gpusPerPod();
        this.gpusPerPod = g >= 0 ? g : spec.gpus() >= 0 ? spec.gpus() : 1;
        this.replicas = initial;
        for (int i = 0; i < initial; i++) {
            Pod p = newPod(0);
            NodePool.Node n = pool.place(gpusPerPod, 0);
            if (n == null) {
                throw new IllegalStateException("no node for initial pod");
            }
            p.startReady(n);
        }
    }

    private Pod newPod(double t) {
        String name = String.format(Locale.ROOT, "%s-%d-%05d", spec.name(), revision, nextPod++);
        Pod p = new Pod(name, revision, t, fleet, spec, gpusPerPod, sink, random);
        pods.add(p);
        allPods.add(p);
        return p;
    }

    /**
     * @param n the new spec.replicas
     */
    public void setReplicas(int n) {
        replicas = n;
    }

    /** @return spec.replicas */
    public int replicas() {
        return replicas;
    }

    /** @return GPUs per pod */
    public int gpusPerPod() {
        return gpusPerPod;
    }

    /** Starts a rolling restart: every current pod is replaced by a pod of a new revision. */
    public void rollingRestart() {
        revision++;
    }

    /**
     * Lifecycle transitions, scheduling and reconciliation at the end of a step.
     *
     * @param t now
     */
    public void step(double t) {
        for (Pod p : pods) {
            p.step(t, pool);
        }
        pods.removeIf(p -> p.phase(t) == PodPhase.GONE);
        reconcile(t);
    }

    /**
     * Creates or deletes pods for spec.replicas (and the rollout), and schedules the Pending ones.
     *
     * @param t now
     */
    public void reconcile(double t) {
        List<Pod> current = new ArrayList<>();
        List<Pod> old = new ArrayList<>();
        for (Pod p : pods) {
            if (!p.isDeleted()) {
                (p.revision() == revision ? current : old).add(p);
            }
        }
        if (old.isEmpty()) {
            scaleTo(current, replicas, t);
        } else {
            rollOut(current, old, t);
        }
        for (Pod p : pods) {
            if (!p.isScheduled() && !p.isDeleted()) {
                p.schedule(pool, t, random);
            }
        }
    }

    private void scaleTo(List<Pod> active, int target, double t) {
        for (int i = active.size(); i < target; i++) {
            newPod(t);
        }
        if (active.size() > target) {
            active.sort(deleteFirst(t));
            for (int i = 0; i < active.size() - target; i++) {
                active.get(i).delete(t);
            }
        }
    }

    private void rollOut(List<Pod> current, List<Pod> old, double t) {
        int surge = spec.surgeFor(replicas);
        int unavailable = spec.unavailableFor(replicas);
        int total = current.size() + old.size();
        int create = Math.min(replicas - current.size(), replicas + surge - total);
        for (int i = 0; i < create; i++) {
            newPod(t);
        }
        total += Math.max(0, create);
        int readyNew = 0;
        for (Pod p : current) {
            if (p.phase(t) == PodPhase.READY) {
                readyNew++;
            }
        }
        int readyOld = 0;
        for (Pod p : old) {
            if (p.phase(t) == PodPhase.READY) {
                readyOld++;
            }
        }
        int minAvailable = replicas - unavailable;
        int canDelete = Math.min(old.size(), Math.max(0, readyNew + readyOld - minAvailable));
        // Old pods that are not Ready can always go; beyond them, only what keeps minAvailable.
        old.sort(deleteFirst(t));
        int deleted = 0;
        for (Pod p : old) {
            boolean ready = p.phase(t) == PodPhase.READY;
            if (!ready || deleted < canDelete) {
                p.delete(t);
                if (ready) {
                    deleted++;
                }
            }
        }
        if (current.size() > replicas) {
            scaleTo(current, replicas, t);
        }
    }

    /** @return pods that are not gone (every phase, terminating included) */
    public List<Pod> pods() {
        return pods;
    }

    /** @return every pod ever created */
    public List<Pod> allPods() {
        return allPods;
    }
}
