package dev.llmautoscale.simulator.sim;

import dev.llmautoscale.metrics.MetricNames;
import dev.llmautoscale.simulator.config.FleetConfig;
import dev.llmautoscale.simulator.model.Pod;
import dev.llmautoscale.simulator.model.Replica;
import dev.llmautoscale.simulator.promql.SeriesStore;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Prometheus scraping the pods (every {@code scrapeIntervalSeconds}) and metrics-server sampling their cpu and memory
 * (every {@code resourceMetricsSeconds}). Each exporting pod gets the library's families with labels
 * {@code namespace}, {@code pod} (and {@code model}, {@code status}, {@code gpu} where the family has them); a pod
 * that stops answering gets a staleness marker.
 */
public final class MetricExporter {

    private final FleetConfig fleet;
    private final String namespace;
    private final SeriesStore store;
    private final Map<Pod, PodSeries> byPod = new LinkedHashMap<>();

    /** The series handles and last samples of one pod. */
    static final class PodSeries {
        SeriesStore.Series queue;
        SeriesStore.Series active;
        SeriesStore.Series waiting;
        SeriesStore.Series running;
        SeriesStore.Series capacity;
        SeriesStore.Series kv;
        SeriesStore.Series success;
        SeriesStore.Series rejected;
        SeriesStore.Series promptTokens;
        SeriesStore.Series generationTokens;
        SeriesStore.Series gpuMemory;
        SeriesStore.Series gpuUtil;
        SeriesStore.Series nvidiaUsed;
        SeriesStore.Series nvidiaTotal;
        double lastBusy;
        double lastBusyTime = Double.NaN;
        double resourceBusy;
        double resourceBusyTime = Double.NaN;
        double memory = Double.NaN;
        double cpu = Double.NaN;
        double resourceTime = Double.NaN;
    }

    /**
     * @param fleet     the fleet
     * @param namespace the namespace label
     * @param store     where samples go
     */
    public MetricExporter(FleetConfig fleet, String namespace, SeriesStore store) {
        this.fleet = fleet;
        this.namespace = namespace;
        this.store = store;
    }

    /**
     * One Prometheus scrape of every pod.
     *
     * @param t    the scrape time
     * @param pods the pods
     */
    public void scrape(double t, List<Pod> pods) {
        for (Pod p : pods) {
            PodSeries s = byPod.get(p);
            if (!p.exportsMetrics(t)) {
                continue;
            }
            if (s == null) {
                s = register(p);
                byPod.put(p, s);
            }
            Replica r = p.replica();
            FleetConfig.Server server = fleet.server();
            s.queue.append(t, r.queueDepth());
            s.active.append(t, r.inFlight());
            s.waiting.append(t, r.queueDepth());
            s.running.append(t, r.inFlight());
            s.capacity.append(t, (double) r.inFlight() / server.maxConcurrency());
            double kv = r.kvCacheUtilization();
            s.kv.append(t, kv);
            s.success.append(t, r.successes());
            s.rejected.append(t, r.rejections());
            s.promptTokens.append(t, r.promptTokens());
            s.generationTokens.append(t, r.generationTokens());
            FleetConfig.Resources res = fleet.resources();
            double used = res.gpuWeightsBytes() * p.loadFraction(t) + res.gpuKvCacheBytes() * kv;
            s.gpuMemory.append(t, used);
            s.nvidiaUsed.append(t, used);
            s.nvidiaTotal.append(t, res.gpuMemoryBytes());
            double busy = r.busySeconds(t);
            double util = Double.isNaN(s.lastBusyTime) || t <= s.lastBusyTime ? 0
                    : (busy - s.lastBusy) / (t - s.lastBusyTime);
            s.lastBusy = busy;
            s.lastBusyTime = t;
            s.gpuUtil.append(t, Math.min(100, 100 * util));
        }
        Iterator<Map.Entry<Pod, PodSeries>> it = byPod.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Pod, PodSeries> e = it.next();
            if (!e.getKey().exportsMetrics(t)) {
                for (SeriesStore.Series series : all(e.getValue())) {
                    series.markStale(t);
                }
                it.remove();
            }
        }
        store.compact(t);
    }

    /**
     * One metrics-server sample of every Running pod's cpu (average over the resolution) and memory (working set).
     *
     * @param t    the sample time
     * @param pods the pods
     */
    public void sampleResources(double t, List<Pod> pods) {
        FleetConfig.Resources res = fleet.resources();
        for (Pod p : pods) {
            PodSeries s = byPod.get(p);
            if (s == null || Double.isNaN(p.containerStart()) || p.containerStart() > t) {
                continue;
            }
            double busy = p.replica().busySeconds(t);
            double frac = Double.isNaN(s.resourceBusyTime) || t <= s.resourceBusyTime ? 0
                    : (busy - s.resourceBusy) / (t - s.resourceBusyTime);
            s.resourceBusy = busy;
            s.resourceBusyTime = t;
            s.cpu = res.cpuIdleCores() + res.cpuBusyCores() * frac;
            s.memory = res.memoryBaseBytes() + res.memoryWeightsBytes() * p.loadFraction(t);
            s.resourceTime = t;
        }
    }

    /**
     * @param p        a pod
     * @param resource cpu or memory
     * @return the pod's latest metrics-server sample, or NaN when it has none
     */
    public double resourceSample(Pod p, String resource) {
        PodSeries s = byPod.get(p);
        if (s == null) {
            return Double.NaN;
        }
        return resource.equals("cpu") ? s.cpu : s.memory;
    }

    /**
     * @param p a pod
     * @return the time of its latest metrics-server sample, or NaN
     */
    public double resourceSampleTime(Pod p) {
        PodSeries s = byPod.get(p);
        return s == null ? Double.NaN : s.resourceTime;
    }

    private PodSeries register(Pod p) {
        Map<String, String> base = Map.of("namespace", namespace, "pod", p.name());
        Map<String, String> model = Map.of("namespace", namespace, "pod", p.name(), MetricNames.TAG_MODEL,
                fleet.server().model());
        Map<String, String> gpu = Map.of("namespace", namespace, "pod", p.name(), "gpu", "0");
        PodSeries s = new PodSeries();
        s.queue = store.series(MetricFamilies.QUEUE_DEPTH, base);
        s.active = store.series(MetricFamilies.ACTIVE_REQUESTS, base);
        s.waiting = store.series(MetricFamilies.REQUESTS_WAITING, model);
        s.running = store.series(MetricFamilies.REQUESTS_RUNNING, model);
        s.capacity = store.series(MetricFamilies.CAPACITY_UTILIZATION, model);
        s.kv = store.series(MetricFamilies.KV_CACHE_UTILIZATION, model);
        s.success = store.series(MetricFamilies.REQUESTS, with(model, MetricNames.TAG_STATUS, MetricFamilies.SUCCESS));
        s.rejected = store.series(MetricFamilies.REQUESTS, with(model, MetricNames.TAG_STATUS,
                MetricFamilies.REJECTED));
        s.promptTokens = store.series(MetricFamilies.PROMPT_TOKENS, model);
        s.generationTokens = store.series(MetricFamilies.GENERATION_TOKENS, model);
        s.gpuMemory = store.series(MetricFamilies.GPU_MEMORY_USED, base);
        s.gpuUtil = store.series(MetricFamilies.GPU_UTILIZATION, gpu);
        s.nvidiaUsed = store.series(MetricFamilies.NVIDIA_GPU_MEMORY_USED, gpu);
        s.nvidiaTotal = store.series(MetricFamilies.NVIDIA_GPU_MEMORY_TOTAL, gpu);
        return s;
    }

    private static Map<String, String> with(Map<String, String> m, String k, String v) {
        java.util.TreeMap<String, String> out = new java.util.TreeMap<>(m);
        out.put(k, v);
        return out;
    }

    private static List<SeriesStore.Series> all(PodSeries s) {
        return List.of(s.queue, s.active, s.waiting, s.running, s.capacity, s.kv, s.success, s.rejected,
                s.promptTokens, s.generationTokens, s.gpuMemory, s.gpuUtil, s.nvidiaUsed, s.nvidiaTotal);
    }
}
