package dev.llmautoscale.simulator.advisor.lint;

import dev.llmautoscale.metrics.MetricNames;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every series family the library exports, with its labels and its range, as Prometheus names: the core's
 * {@link MetricNames} through Micrometer's Prometheus naming convention, the NVML module's GPU families, the
 * servlet module's client-error counter and the example queue worker's families (docs/METRICS.md). Labels that
 * Prometheus adds when it scrapes a pod (namespace, pod, ...) are allowed on every family.
 */
public final class MetricCatalog {

    /** What a family holds. */
    public enum Scale {
        /** a count or a size: 0 and up */
        OPEN,
        /** a ratio: 0 to 1 */
        RATIO,
        /** a percentage: 0 to 100 */
        PERCENT
    }

    /**
     * One family.
     *
     * @param name   the Prometheus series name
     * @param labels the labels it has
     * @param scale  its range
     */
    public record Family(String name, Set<String> labels, Scale scale) {
    }

    /** Labels the scrape adds (Prometheus Operator and the guide's annotations-based scrape config). */
    public static final Set<String> TARGET_LABELS = Set.of("namespace", "pod", "instance", "job", "container",
            "service", "endpoint", "node", "app", "model_server", "__name__");

    private static final Map<String, Family> FAMILIES = new HashMap<>();

    static {
        Set<String> model = Set.of("model");
        Set<String> gpu = Set.of("gpu", "uuid");
        add(prom(MetricNames.REQUESTS, "_total"), Set.of("model", "status"), Scale.OPEN);
        histogram(prom(MetricNames.DURATION, "_seconds"), model);
        add(prom(MetricNames.QUEUE_DEPTH, ""), Set.of(), Scale.OPEN);
        add(prom(MetricNames.GPU_MEMORY_USED, "_bytes"), Set.of(), Scale.OPEN);
        add(prom(MetricNames.ACTIVE_REQUESTS, ""), Set.of(), Scale.OPEN);
        histogram(prom(MetricNames.QUEUE_TIME, "_seconds"), model);
        histogram(prom(MetricNames.TIME_TO_FIRST_TOKEN, "_seconds"), model);
        histogram(prom(MetricNames.TIME_PER_OUTPUT_TOKEN, "_seconds"), model);
        add(prom(MetricNames.PROMPT_TOKENS, "_total"), model, Scale.OPEN);
        add(prom(MetricNames.GENERATION_TOKENS, "_total"), model, Scale.OPEN);
        add(prom(MetricNames.REQUESTS_WAITING, ""), model, Scale.OPEN);
        add(prom(MetricNames.REQUESTS_RUNNING, ""), model, Scale.OPEN);
        add(prom(MetricNames.CAPACITY_UTILIZATION, "_ratio"), model, Scale.RATIO);
        add(prom(MetricNames.KV_CACHE_UTILIZATION, "_ratio"), model, Scale.RATIO);
        add(prom(MetricNames.REJECTIONS, "_total"), Set.of("model", "reason"), Scale.OPEN);
        add(prom(MetricNames.WARMUP_DURATION, "_seconds"), Set.of("hook"), Scale.OPEN);
        add(prom(MetricNames.LIFECYCLE_STATE, ""), Set.of("state"), Scale.RATIO);
        add(prom(MetricNames.MODEL_LABEL_OVERFLOW, "_total"), Set.of(), Scale.OPEN);
        // llm-autoscale-nvml (NvmlGpuTelemetry), which the simulator does not depend on.
        for (String f : List.of("llm_gpu_device_memory_used_bytes", "llm_gpu_device_memory_total_bytes",
                "llm_gpu_device_memory_free_bytes", "llm_gpu_temperature_celsius", "llm_gpu_power_watts",
                "nvidia_gpu_memory_used_bytes", "nvidia_gpu_memory_total_bytes")) {
            add(f, gpu, Scale.OPEN);
        }
        add("llm_gpu_utilization_percent", gpu, Scale.PERCENT);
        add("llm_gpu_info", Set.of("gpu", "uuid", "name"), Scale.RATIO);
        add("llm_gpu_nvml_errors_total", Set.of("code"), Scale.OPEN);
        // llm-autoscale-servlet.
        add("llm_inference_client_errors_total", Set.of("model", "code"), Scale.OPEN);
        // The example queue worker (examples/queue-worker WorkerMetrics, docs/METRICS.md), which deploy/queue scales on.
        add("llm_queue_worker_list_length", Set.of("list"), Scale.OPEN);
        add("llm_queue_worker_jobs_in_hand", Set.of(), Scale.OPEN);
        for (String f : List.of("taken", "completed", "duplicate", "failed", "returned", "recovered")) {
            add("llm_queue_worker_jobs_" + f + "_total", Set.of(), Scale.OPEN);
        }
        add("llm_queue_worker_jobs_dead_lettered_total", Set.of("reason"), Scale.OPEN);
        histogram("llm_queue_worker_job_age_seconds", Set.of());
        add("llm_queue_worker_redis_up", Set.of(), Scale.RATIO);
    }

    private MetricCatalog() {
    }

    private static String prom(String micrometerName, String suffix) {
        return micrometerName.replace('.', '_') + suffix;
    }

    private static void add(String name, Set<String> labels, Scale scale) {
        FAMILIES.put(name, new Family(name, labels, scale));
    }

    private static void histogram(String base, Set<String> labels) {
        add(base + "_count", labels, Scale.OPEN);
        add(base + "_sum", labels, Scale.OPEN);
        add(base + "_max", labels, Scale.OPEN);
        java.util.Set<String> withLe = new java.util.HashSet<>(labels);
        withLe.add("le");
        add(base + "_bucket", Set.copyOf(withLe), Scale.OPEN);
    }

    /**
     * @param series a series name
     * @return its family, or null when the library does not export it
     */
    public static Family family(String series) {
        return FAMILIES.get(series);
    }

    /**
     * @param family a family
     * @param label  a label name
     * @return whether a selector on this label can match the family's series
     */
    public static boolean hasLabel(Family family, String label) {
        return family.labels().contains(label) || TARGET_LABELS.contains(label);
    }

    /**
     * @param series a series name
     * @return whether it is the per-pod admission queue (what {@code QUEUE_CAPACITY} bounds)
     */
    public static boolean isQueueDepth(String series) {
        return series.equals(prom(MetricNames.QUEUE_DEPTH, "")) || series.equals(prom(MetricNames.REQUESTS_WAITING, ""));
    }

    /**
     * @param series an unknown series name
     * @return the closest exported name (for the fix), or null
     */
    public static String closest(String series) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String f : FAMILIES.keySet()) {
            int d = distance(series, f);
            if (d < bestDistance || (d == bestDistance && f.compareTo(best) < 0)) {
                bestDistance = d;
                best = f;
            }
        }
        return bestDistance <= Math.max(4, series.length() / 3) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
