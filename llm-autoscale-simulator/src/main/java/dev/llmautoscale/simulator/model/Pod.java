package dev.llmautoscale.simulator.model;

import dev.llmautoscale.simulator.config.DeploymentSpec;
import dev.llmautoscale.simulator.config.FleetConfig;
import dev.llmautoscale.simulator.config.PreStop;
import dev.llmautoscale.simulator.config.Probe;
import java.util.SplittableRandom;

/**
 * One pod of the Deployment through its life: Pending (waiting for a node, then pulling the image), loading
 * (Running, not Ready: weight load and warm-up), Ready once the readiness probe passes, and on deletion: the endpoint
 * goes after the propagation delay, preStop runs, SIGTERM, the server's pre-drain delay, the drain (new requests 503,
 * in-flight ones finish, at most the drain timeout), the linger, exit — or SIGKILL at the end of
 * terminationGracePeriodSeconds, whichever comes first. Requests still in the pod when it stops are lost.
 *
 * <p>Lifecycle transitions happen at simulation step boundaries; requests inside the replica are timed exactly.
 */
public final class Pod {

    private final String name;
    private final int revision;
    private final double created;
    private final FleetConfig fleet;
    private final DeploymentSpec deployment;
    private final int gpus;
    private final Replica replica;
    private NodePool.Node node;
    private double containerStart = Double.NaN;
    private double loadedAt = Double.NaN;
    private double readyAt = Double.NaN;
    private double deletedAt = Double.NaN;
    private double sigtermAt = Double.NaN;
    private double drainStart = Double.NaN;
    private double exitAt = Double.NaN;
    private double goneAt = Double.NaN;
    private int preStopStep;
    private double preStopStepStart;
    private int lost;
    private String endReason = "";
    private final double weightLoad;
    private final double warmUp;

    Pod(String name, int revision, double created, FleetConfig fleet, DeploymentSpec deployment, int gpus,
        RequestSink sink, SplittableRandom random) {
        this.name = name;
        this.revision = revision;
        this.created = created;
        this.fleet = fleet;
        this.deployment = deployment;
        this.gpus = gpus;
        this.replica = new Replica(fleet.server(), sink);
        this.weightLoad = fleet.coldStart().weightLoad().sample(random);
        this.warmUp = fleet.coldStart().warmUp().sample(random);
    }

    /** Makes the pod Ready at time 0, as part of the initial fleet. */
    void startReady(NodePool.Node n) {
        node = n;
        containerStart = 0;
        loadedAt = 0;
        readyAt = 0;
        replica.setLoaded(true);
    }

    /**
     * Tries to bind the pod to a node.
     *
     * @param pool the pool
     * @param t    now
     * @param random for the image pull time
     */
    void schedule(NodePool pool, double t, SplittableRandom random) {
        if (node != null || !Double.isNaN(deletedAt)) {
            return;
        }
        NodePool.Node n = pool.place(gpus, t);
        if (n == null) {
            return;
        }
        node = n;
        double bound = Math.max(t + fleet.lifecycle().schedulingSeconds(), n.readyAt());
        double pull = pool.pullImage(n) ? fleet.coldStart().imagePull().sample(random) : 0;
        containerStart = bound + pull;
        loadedAt = containerStart + weightLoad + warmUp;
        if (restartedBeforeLoaded()) {
            // The kubelet restarts the container before the model is loaded, and every restart loads it again:
            // CrashLoopBackOff, the pod never serves.
            loadedAt = Double.POSITIVE_INFINITY;
        }
        readyAt = readinessTime();
    }

    /**
     * Whether a startup probe, or a liveness probe not covered by one, on a path that fails until the model is
     * loaded gives up (failureThreshold failed probes) before the load ends.
     */
    private boolean restartedBeforeLoaded() {
        Probe startup = deployment.startupProbe();
        Probe killer = startup != null ? startup : deployment.livenessProbe();
        return killer != null && fleet.server().gatedProbePaths().contains(killer.path())
                && loadedAt > containerStart + killer.lastFailureBeforeRestart();
    }

    private double readinessTime() {
        Probe startup = deployment.startupProbe();
        Probe readiness = deployment.readinessProbe();
        double probesFrom = containerStart;
        if (startup != null) {
            probesFrom = startup.firstSuccess(containerStart, passesAt(startup));
        }
        if (readiness == null) {
            return probesFrom; // without a readiness probe a pod is Ready once its containers run (and started)
        }
        return readiness.firstSuccess(probesFrom, passesAt(readiness));
    }

    /** When the server starts answering 200 on the probe's path. */
    private double passesAt(Probe p) {
        return fleet.server().gatedProbePaths().contains(p.path()) ? loadedAt : containerStart;
    }

    /**
     * Applies the transitions due by {@code t} (call after the replica was advanced to t).
     *
     * @param t    now
     * @param pool the pool (to release the node)
     */
    void step(double t, NodePool pool) {
        if (goneAt <= t) {
            return;
        }
        if (!Double.isNaN(loadedAt) && loadedAt <= t && Double.isNaN(deletedAt)) {
            replica.setLoaded(true);
        }
        if (Double.isNaN(deletedAt)) {
            return;
        }
        if (node == null || Double.isNaN(containerStart) || containerStart > t) {
            end(t, pool, "deleted before it started");
            return;
        }
        double killAt = deletedAt + deployment.gracePeriodSeconds();
        if (Double.isNaN(sigtermAt)) {
            advancePreStop(t);
        }
        if (!Double.isNaN(sigtermAt) && Double.isNaN(drainStart)
                && t >= sigtermAt + fleet.server().preDrainDelaySeconds()) {
            drainStart = sigtermAt + fleet.server().preDrainDelaySeconds();
            replica.startDrain();
        }
        if (!Double.isNaN(drainStart) && Double.isNaN(exitAt)) {
            if (replica.activeRequests() == 0) {
                exitAt = t + fleet.server().shutdownLingerSeconds();
            } else if (t >= drainStart + fleet.server().drainTimeoutSeconds()) {
                lost += replica.kill(t);
                endReason = "drain timeout";
                exitAt = t + fleet.server().shutdownLingerSeconds();
            }
        }
        if (t >= killAt && (Double.isNaN(exitAt) || exitAt > killAt)) {
            lost += replica.kill(t);
            end(t, pool, lost > 0 ? "killed at the end of the grace period" : "grace period over");
            return;
        }
        if (!Double.isNaN(exitAt) && t >= exitAt) {
            end(t, pool, endReason.isEmpty() ? "drained" : endReason);
        }
    }

    private void advancePreStop(double t) {
        PreStop hook = deployment.preStop();
        while (preStopStep < hook.steps().size()) {
            PreStop.Step s = hook.steps().get(preStopStep);
            if (s instanceof PreStop.Sleep sleep) {
                if (t < preStopStepStart + sleep.seconds()) {
                    return;
                }
                preStopStepStart += sleep.seconds();
            } else {
                PreStop.WaitIdle w = (PreStop.WaitIdle) s;
                double limit = preStopStepStart + w.iterations() * w.pollSeconds();
                if (replica.activeRequests() == 0 || t >= limit) {
                    preStopStepStart = Math.min(t, limit);
                } else {
                    return;
                }
            }
            preStopStep++;
        }
        sigtermAt = Math.max(preStopStepStart, deletedAt);
    }

    private void end(double t, NodePool pool, String reason) {
        if (replica.activeRequests() > 0) {
            lost += replica.kill(t);
        }
        goneAt = t;
        endReason = reason;
        if (node != null) {
            pool.release(node, gpus, t);
        }
    }

    /**
     * Deletes the pod (the ReplicaSet scaled down, or a rolling update replaced it).
     *
     * @param t now
     */
    void delete(double t) {
        if (Double.isNaN(deletedAt)) {
            deletedAt = t;
            preStopStepStart = t;
        }
    }

    /**
     * @param t now
     * @return whether the Service routes new requests to the pod
     */
    public boolean isEndpoint(double t) {
        if (Double.isNaN(readyAt) || readyAt > t || goneAt <= t) {
            return false;
        }
        return Double.isNaN(deletedAt) || t < deletedAt + fleet.lifecycle().endpointPropagationSeconds();
    }

    /**
     * @param t now
     * @return the phase
     */
    public PodPhase phase(double t) {
        if (goneAt <= t) {
            return PodPhase.GONE;
        }
        if (!Double.isNaN(deletedAt)) {
            return PodPhase.TERMINATING;
        }
        if (Double.isNaN(containerStart) || containerStart > t) {
            return PodPhase.PENDING;
        }
        return readyAt <= t ? PodPhase.READY : PodPhase.LOADING;
    }

    /**
     * @param t now
     * @return whether /metrics answers (Running; while loading only when the fleet says so)
     */
    public boolean exportsMetrics(double t) {
        if (goneAt <= t || Double.isNaN(containerStart) || containerStart > t) {
            return false;
        }
        return fleet.metrics().loadingPodsExportMetrics() || loadedAt <= t;
    }

    /**
     * @param t now
     * @return how far the weight load is, 0 to 1
     */
    public double loadFraction(double t) {
        if (Double.isNaN(containerStart) || t <= containerStart) {
            return 0;
        }
        if (weightLoad <= 0) {
            return 1;
        }
        return Math.min(1, (t - containerStart) / weightLoad);
    }

    /** @return the pod name */
    public String name() {
        return name;
    }

    /** @return the template revision (rolling restarts) */
    public int revision() {
        return revision;
    }

    /** @return creation time */
    public double created() {
        return created;
    }

    /** @return when the containers started (NaN while unscheduled) */
    public double containerStart() {
        return containerStart;
    }

    /** @return when the pod became (or becomes) Ready (NaN while unscheduled) */
    public double readyAt() {
        return readyAt;
    }

    /** @return deletion time, or NaN */
    public double deletedAt() {
        return deletedAt;
    }

    /** @return whether the pod has been deleted */
    public boolean isDeleted() {
        return !Double.isNaN(deletedAt);
    }

    /** @return whether the pod has a node */
    public boolean isScheduled() {
        return node != null;
    }

    /** @return requests lost when it stopped */
    public int lost() {
        return lost;
    }

    /** @return how it ended ("" while alive) */
    public String endReason() {
        return endReason;
    }

    /** @return the server */
    public Replica replica() {
        return replica;
    }

    /** @return GPUs the pod holds */
    public int gpus() {
        return gpus;
    }
}
