package dev.llmautoscale.simulator.sim;

import dev.llmautoscale.simulator.autoscale.Autoscaler;
import dev.llmautoscale.simulator.autoscale.ClusterView;
import dev.llmautoscale.simulator.config.ConfigException;
import dev.llmautoscale.simulator.config.FleetConfig;
import dev.llmautoscale.simulator.model.DeploymentController;
import dev.llmautoscale.simulator.model.NodePool;
import dev.llmautoscale.simulator.model.Pod;
import dev.llmautoscale.simulator.model.PodPhase;
import dev.llmautoscale.simulator.model.Request;
import dev.llmautoscale.simulator.model.UnroutedRequests;
import dev.llmautoscale.simulator.promql.Evaluator;
import dev.llmautoscale.simulator.promql.SeriesStore;
import dev.llmautoscale.simulator.workload.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;

/**
 * Runs one {@link Scenario} on one {@link Workload}: the library API behind {@code run} and {@code compare}.
 *
 * <p>Each step of {@link RunOptions#stepSeconds()}: the step's arrivals are routed (uniformly at random, as
 * kube-proxy does) to the pods that are Service endpoints at the start of the step and handled by each replica at
 * their exact arrival times; every replica runs to the end of the step; then pod lifecycles and the node pool move on,
 * Prometheus scrapes and metrics-server samples when due, the autoscaler acts when its period is due, and the
 * Deployment reconciles. Everything random comes from streams split from the seed, so a seed gives one result.
 */
public final class Simulation {

    private final Scenario scenario;
    private final Workload workload;
    private final RunOptions options;

    /**
     * @param scenario the configuration
     * @param workload the arrivals (consumed by {@link #run})
     * @param options  the run options
     */
    public Simulation(Scenario scenario, Workload workload, RunOptions options) {
        this.scenario = scenario;
        this.workload = workload;
        this.options = options;
    }

    /** @return the result */
    public SimulationResult run() {
        FleetConfig fleet = scenario.fleet();
        SplittableRandom master = new SplittableRandom(options.seed());
        SplittableRandom coldStart = master.split();
        SplittableRandom routing = master.split();
        SplittableRandom scalerReads = master.split();
        SplittableRandom nodes = master.split();
        Autoscaler autoscaler = scenario.autoscaler().get();
        int initial = fleet.lifecycle().initialReplicas() >= 0 ? fleet.lifecycle().initialReplicas()
                : Math.max(autoscaler.minReplicas(), Math.min(autoscaler.maxReplicas(),
                scenario.deployment().replicas()));
        int gpusPerPod = fleet.resources().gpusPerPod() >= 0 ? fleet.resources().gpusPerPod()
                : scenario.deployment().gpus() >= 0 ? scenario.deployment().gpus() : 1;
        FleetConfig.NodePool np = fleet.nodePool();
        if (gpusPerPod > np.gpusPerNode()) {
            throw new ConfigException("fleet file (--fleet)", "nodePool.gpusPerNode", np.gpusPerNode() + " GPUs per node cannot"
                    + " hold a pod asking for " + gpusPerPod + "; allowed: >= " + gpusPerPod);
        }
        int podsPerNode = gpusPerPod == 0 ? Integer.MAX_VALUE : np.gpusPerNode() / gpusPerPod;
        int needed = initial == 0 ? 0 : (int) Math.ceil((double) initial / podsPerNode);
        int present = np.nodesPresent() >= 0 ? np.nodesPresent() : needed;
        if (present < needed || needed > np.maxNodes()) {
            throw new ConfigException("fleet file (--fleet)", "nodePool.nodesPresent", present + " nodes (max " + np.maxNodes()
                    + ") cannot hold the " + initial + " initial replicas; allowed: >= " + needed);
        }
        RequestStats stats = new RequestStats(options.sloTtftMs() / 1000, options.sloE2eMs() / 1000);
        NodePool pool = new NodePool(np, fleet.coldStart(), nodes, present);
        DeploymentController deployment = new DeploymentController(fleet, scenario.deployment(), pool, stats,
                coldStart, initial);
        SeriesStore store = new SeriesStore(3600);
        MetricExporter exporter = new MetricExporter(fleet, scenario.namespace(), store);
        Map<String, Double> requests = Map.of(
                "memory", fleet.resources().memoryRequestBytes() >= 0 ? fleet.resources().memoryRequestBytes()
                        : scenario.deployment().memoryRequestBytes() >= 0 ? scenario.deployment().memoryRequestBytes()
                        : 24.0 * 1024 * 1024 * 1024,
                "cpu", fleet.resources().cpuRequestCores() >= 0 ? fleet.resources().cpuRequestCores()
                        : scenario.deployment().cpuRequestCores() >= 0 ? scenario.deployment().cpuRequestCores() : 4);
        ClusterView view = new ClusterView(deployment, exporter, new Evaluator(store), scenario.namespace(),
                fleet.metrics().resourceMetricsSeconds(), requests, scalerReads);

        double dt = options.stepSeconds();
        int steps = (int) Math.ceil(workload.durationSeconds() / dt - 1e-9);
        StepLog log = new StepLog(steps);
        List<ScaleEvent> events = new ArrayList<>();
        double scrape = fleet.metrics().scrapeIntervalSeconds();
        double resources = fleet.metrics().resourceMetricsSeconds();
        double nextScrape = 0;
        double nextResources = 0;
        exporter.scrape(0, deployment.pods());
        exporter.sampleResources(0, deployment.pods());
        nextScrape += scrape;
        nextResources += resources;
        long offered = 0;
        double replicaSeconds = 0;
        double podGpuSeconds = 0;
        int minSpec = deployment.replicas();
        int maxSpec = deployment.replicas();
        boolean restarted = Double.isNaN(options.rollingRestartAt());
        List<Pod> endpoints = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            double t0 = i * dt;
            double t1 = (i + 1) * dt;
            stats.resetStep();
            if (!restarted && t0 >= options.rollingRestartAt()) {
                deployment.rollingRestart();
                restarted = true;
            }
            endpoints.clear();
            for (Pod p : deployment.pods()) {
                if (p.isEndpoint(t0)) {
                    endpoints.add(p);
                }
            }
            int offeredStep = 0;
            Request r;
            while ((r = workload.next(t1)) != null) {
                offeredStep++;
                if (endpoints.isEmpty()) {
                    unavailable(r, stats);
                    continue;
                }
                Pod p = endpoints.get(endpoints.size() == 1 ? 0 : routing.nextInt(endpoints.size()));
                p.replica().advanceTo(r.arrival());
                p.replica().offer(r);
            }
            offered += offeredStep;
            List<Pod> pods = deployment.pods();
            for (Pod p : pods) {
                p.replica().advanceTo(t1);
            }
            deployment.step(t1);
            pool.step(t1, dt);
            if (t1 + 1e-9 >= nextScrape) {
                exporter.scrape(t1, deployment.pods());
                nextScrape += scrape;
            }
            if (t1 + 1e-9 >= nextResources) {
                exporter.sampleResources(t1, deployment.pods());
                nextResources += resources;
            }
            int before = deployment.replicas();
            autoscaler.step(t1, view);
            int after = deployment.replicas();
            if (after != before) {
                events.add(new ScaleEvent(t1, before, after));
                deployment.reconcile(t1);
                minSpec = Math.min(minSpec, after);
                maxSpec = Math.max(maxSpec, after);
            }
            int ready = 0;
            int loading = 0;
            int pending = 0;
            int terminating = 0;
            int queue = 0;
            int inFlight = 0;
            for (Pod p : deployment.pods()) {
                PodPhase ph = p.phase(t1);
                switch (ph) {
                    case READY -> ready++;
                    case LOADING -> loading++;
                    case PENDING -> pending++;
                    case TERMINATING -> terminating++;
                    default -> {
                    }
                }
                if (ph != PodPhase.PENDING && ph != PodPhase.GONE) {
                    replicaSeconds += dt;
                }
                if (p.isScheduled() && ph != PodPhase.GONE) {
                    podGpuSeconds += p.gpus() * dt;
                }
                queue += p.replica().queueDepth();
                inFlight += p.replica().inFlight();
            }
            long[] so = stats.stepOutcomes;
            log.add(t1, offeredStep, (int) so[Request.SERVED], (int) so[Request.REJECTED],
                    (int) so[Request.UNAVAILABLE], (int) so[Request.LOST], after, ready, loading, pending,
                    terminating, queue, inFlight, pool.size());
        }
        double duration = steps * dt;
        Summary summary = summarize(stats, offered, replicaSeconds, podGpuSeconds, pool, events, deployment,
                minSpec, maxSpec, duration);
        return new SimulationResult(scenario.label(), autoscaler.describe(), workload.describe(), summary, log,
                List.copyOf(events));
    }

    private static void unavailable(Request r, RequestStats stats) {
        UnroutedRequests.refuse(r);
        stats.finished(r);
    }

    private Summary summarize(RequestStats stats, long offered, double replicaSeconds, double podGpuSeconds,
                              NodePool pool, List<ScaleEvent> events, DeploymentController deployment, int minSpec,
                              int maxSpec, double duration) {
        long[] o = stats.outcomes;
        long finished = 0;
        for (long v : o) {
            finished += v;
        }
        int ups = 0;
        int downs = 0;
        int thrash = 0;
        ScaleEvent prev = null;
        for (ScaleEvent e : events) {
            boolean up = e.to() > e.from();
            if (up) {
                ups++;
            } else {
                downs++;
            }
            if (prev != null && (prev.to() > prev.from()) != up && e.t() - prev.t() <= options.thrashWindowSeconds()) {
                thrash++;
            }
            prev = e;
        }
        double spike = workload.spikeStartSeconds();
        double reaction = Double.NaN;
        if (!Double.isNaN(spike)) {
            double first = Double.POSITIVE_INFINITY;
            for (Pod p : deployment.allPods()) {
                boolean deletedFirst = p.isDeleted() && p.deletedAt() <= p.readyAt();
                if (p.created() >= spike && !Double.isNaN(p.readyAt()) && p.readyAt() <= duration
                        && !deletedFirst) {
                    first = Math.min(first, p.readyAt());
                }
            }
            if (first != Double.POSITIVE_INFINITY) {
                reaction = first - spike;
            }
        }
        double nodeGpuHours = pool.gpuSeconds() / 3600;
        return new Summary(offered, o[Request.SERVED], o[Request.REJECTED], o[Request.UNAVAILABLE],
                o[Request.LOST], o[Request.INVALID], offered - finished, percentiles(stats.queueWait),
                percentiles(stats.ttft), percentiles(stats.e2e), options.sloTtftMs(), options.sloE2eMs(),
                offered == 0 ? Double.NaN : (double) stats.ttftWithinSlo / offered,
                offered == 0 ? Double.NaN : (double) stats.e2eWithinSlo / offered, replicaSeconds / 60,
                podGpuSeconds / 3600, nodeGpuHours, nodeGpuHours * scenario.fleet().nodePool().pricePerGpuHour(),
                pool.maxNodesSeen(), ups, downs, thrash, reaction, minSpec, maxSpec, duration);
    }

    private static Summary.Percentiles percentiles(Histogram h) {
        if (h.getTotalCount() == 0) {
            return new Summary.Percentiles(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Summary.Percentiles(h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(95) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0);
    }
}
