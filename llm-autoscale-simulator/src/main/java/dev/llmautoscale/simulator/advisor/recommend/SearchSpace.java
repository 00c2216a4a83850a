package dev.llmautoscale.simulator.advisor.recommend;

import dev.llmautoscale.simulator.config.AdapterRules;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The values each knob may take (the maximum: 0.75, 1, 1.5 and 2 times the start's, within the node pool). Signals are the library's per-replica load series; targets are the values that
 * make sense for the example server's capacity (32 admitted, batch 8, queue 64).
 */
final class SearchSpace {

    /** Per-replica signals and their targets: HPA Pods metric name -> the series KEDA would sum. */
    private static final Map<String, String> SERIES = Map.of(
            "inference_queue_depth", "llm_inference_queue_depth",
            "requests_waiting", "llm_requests_waiting",
            "requests_running", "llm_requests_running",
            "gpu_utilization", "llm_gpu_utilization_percent",
            "kv_cache_utilization", "llm_kv_cache_utilization_ratio");
    private static final Map<String, double[]> TARGETS = Map.of(
            "inference_queue_depth", new double[] {1, 2, 3, 5, 10, 20},
            "requests_waiting", new double[] {1, 2, 5, 10},
            "requests_running", new double[] {4, 6, 7, 8, 12, 16, 24},
            "gpu_utilization", new double[] {50, 60, 75, 90},
            "kv_cache_utilization", new double[] {0.5, 0.7, 0.8, 0.9});
    static final int[] UP_WINDOW = {0, 30, 60, 120};
    static final int[] UP_PODS = {1, 2, 4, 8};
    static final int[] UP_PERCENT = {50, 100, 200};
    static final int[] UP_PERIOD = {15, 30, 60, 120, 180};
    static final int[] DOWN_WINDOW = {60, 120, 180, 300, 600};
    static final int[] DOWN_PERCENT = {10, 25, 50, 100};
    static final int[] DOWN_PERIOD = {15, 30, 60, 120};
    static final int[] POLLING = {5, 15, 30};
    static final int[] COOLDOWN = {60, 300};

    private final List<String> metrics;
    private final int maxReplicas;
    private final int[] maxima;
    private final boolean keda;

    /**
     * @param rules       the adapter rules (HPA: only the metrics they serve)
     * @param keda        whether the config is a ScaledObject
     * @param maxReplicas the start's maximum
     * @param placeable   the most replicas the node pool can place (the maximum may grow up to it)
     */
    SearchSpace(AdapterRules rules, boolean keda, int maxReplicas, int placeable) {
        this.keda = keda;
        this.maxReplicas = maxReplicas;
        java.util.TreeSet<Integer> m0 = new java.util.TreeSet<>();
        for (double f : new double[] {0.75, 1, 1.5, 2}) {
            int v = (int) Math.round(maxReplicas * f);
            if (v >= 1 && v <= Math.max(maxReplicas, placeable)) {
                m0.add(v);
            }
        }
        this.maxima = m0.stream().mapToInt(Integer::intValue).toArray();
        List<String> m = new ArrayList<>();
        for (String name : List.of("inference_queue_depth", "requests_waiting", "requests_running",
                "gpu_utilization", "kv_cache_utilization")) {
            if (keda || rules.forMetric(name) != null) {
                m.add(name);
            }
        }
        this.metrics = List.copyOf(m);
    }

    /** @return the series a KEDA trigger sums for a metric */
    static String series(String metric) {
        return SERIES.get(metric);
    }

    /** @return the metrics the search may use */
    List<String> metrics() {
        return metrics;
    }

    /** @return a point drawn uniformly */
    Knobs random(SplittableRandom r) {
        String metric = metrics.get(r.nextInt(metrics.size()));
        return new Knobs(metric, pick(TARGETS.get(metric), r), 1 + r.nextInt(Math.min(5, maxReplicas)),
                pick(UP_WINDOW, r), pick(UP_PODS, r), pick(UP_PERCENT, r), pick(UP_PERIOD, r), pick(DOWN_WINDOW, r),
                pick(DOWN_PERCENT, r), pick(DOWN_PERIOD, r), keda ? pick(POLLING, r) : 15, keda ? pick(COOLDOWN, r) : 300, pick(maxima, r));
    }

    /** @return {@code k} with one or two knobs changed */
    Knobs mutate(Knobs k, SplittableRandom r) {
        Knobs out = k;
        int changes = 1 + r.nextInt(2);
        for (int i = 0; i < changes; i++) {
            int knob = r.nextInt(keda ? 13 : 11);
            out = switch (knob) {
                case 0 -> {
                    String metric = metrics.get(r.nextInt(metrics.size()));
                    yield with(out, metric, pick(TARGETS.get(metric), r));
                }
                case 1 -> with(out, out.metric(), pick(TARGETS.get(out.metric()), r));
                case 2 -> new Knobs(out.metric(), out.target(), 1 + r.nextInt(Math.min(5, maxReplicas)),
                        out.upWindow(), out.upPods(), out.upPercent(), out.upPeriod(), out.downWindow(),
                        out.downPercent(), out.downPeriod(), out.pollingInterval(), out.cooldownPeriod(), out.maxReplicas());
                case 3 -> new Knobs(out.metric(), out.target(), out.minReplicas(), pick(UP_WINDOW, r), out.upPods(),
                        out.upPercent(), out.upPeriod(), out.downWindow(), out.downPercent(), out.downPeriod(),
                        out.pollingInterval(), out.cooldownPeriod(), out.maxReplicas());
                case 4 -> new Knobs(out.metric(), out.target(), out.minReplicas(), out.upWindow(), pick(UP_PODS, r),
                        out.upPercent(), out.upPeriod(), out.downWindow(), out.downPercent(), out.downPeriod(),
                        out.pollingInterval(), out.cooldownPeriod(), out.maxReplicas());
                case 5 -> new Knobs(out.metric(), out.target(), out.minReplicas(), out.upWindow(), out.upPods(),
                        pick(UP_PERCENT, r), out.upPeriod(), out.downWindow(), out.downPercent(), out.downPeriod(),
                        out.pollingInterval(), out.cooldownPeriod(), out.maxReplicas());
                case 6 -> new Knobs(out.metric(), out.target(), out.minReplicas(), out.upWindow(), out.upPods(),
                        out.upPercent(), pick(UP_PERIOD, r), out.downWindow(), out.downPercent(), out.downPeriod(),
                        out.pollingInterval(), out.cooldownPeriod(), out.maxReplicas());
                case 7 -> new Knobs(out.metric(), out.target(), out.minReplicas(), out.upWindow(), out.upPods(),
                        out.upPercent(), out.upPeriod(), pick(DOWN_WINDOW, r), out.downPercent(), out.downPeriod(),
                        out.pollingInterval(), out.cooldownPeriod(), out.maxReplicas());
                case 8 -> new Knobs(out.metric(), out.target(), out.minReplicas(), out.upWindow(), out.upPods(),
                        out.upPercent(), out.upPeriod(), out.downWindow(), pick(DOWN_PERCENT, r), out.downPeriod(),
                        out.pollingInterval(), out.cooldownPeriod(), out.maxReplicas());
                case 9 -> new Knobs(out.metric(), out.target(), out.minReplicas(), out.upWindow(), out.upPods(),
                        out.upPercent(), out.upPeriod(), out.downWindow(), out.downPercent(), pick(DOWN_PERIOD, r),
                        out.pollingInterval(), out.cooldownPeriod(), out.maxReplicas());
                case 10 -> new Knobs(out.metric(), out.target(), out.minReplicas(), out.upWindow(), out.upPods(),
                        out.upPercent(), out.upPeriod(), out.downWindow(), out.downPercent(), out.downPeriod(),
                        out.pollingInterval(), out.cooldownPeriod(), pick(maxima, r));
                case 11 -> new Knobs(out.metric(), out.target(), out.minReplicas(), out.upWindow(), out.upPods(),
                        out.upPercent(), out.upPeriod(), out.downWindow(), out.downPercent(), out.downPeriod(),
                        pick(POLLING, r), out.cooldownPeriod(), out.maxReplicas());
                default -> new Knobs(out.metric(), out.target(), out.minReplicas(), out.upWindow(), out.upPods(),
                        out.upPercent(), out.upPeriod(), out.downWindow(), out.downPercent(), out.downPeriod(),
                        out.pollingInterval(), pick(COOLDOWN, r), out.maxReplicas());
            };
        }
        return out;
    }

    /** @return every point that differs from {@code k} in one knob (the metric with each of its targets) */
    List<Knobs> neighbours(Knobs k) {
        List<Knobs> out = new ArrayList<>();
        for (String metric : metrics) {
            for (double t : TARGETS.get(metric)) {
                out.add(with(k, metric, t));
            }
        }
        for (int min = 1; min <= Math.min(5, maxReplicas); min++) {
            out.add(new Knobs(k.metric(), k.target(), min, k.upWindow(), k.upPods(), k.upPercent(), k.upPeriod(),
                    k.downWindow(), k.downPercent(), k.downPeriod(), k.pollingInterval(), k.cooldownPeriod(), k.maxReplicas()));
        }
        for (int v : UP_WINDOW) {
            out.add(new Knobs(k.metric(), k.target(), k.minReplicas(), v, k.upPods(), k.upPercent(), k.upPeriod(),
                    k.downWindow(), k.downPercent(), k.downPeriod(), k.pollingInterval(), k.cooldownPeriod(), k.maxReplicas()));
        }
        for (int v : UP_PODS) {
            out.add(new Knobs(k.metric(), k.target(), k.minReplicas(), k.upWindow(), v, k.upPercent(), k.upPeriod(),
                    k.downWindow(), k.downPercent(), k.downPeriod(), k.pollingInterval(), k.cooldownPeriod(), k.maxReplicas()));
        }
        for (int v : UP_PERCENT) {
            out.add(new Knobs(k.metric(), k.target(), k.minReplicas(), k.upWindow(), k.upPods(), v, k.upPeriod(),
                    k.downWindow(), k.downPercent(), k.downPeriod(), k.pollingInterval(), k.cooldownPeriod(), k.maxReplicas()));
        }
        for (int v : UP_PERIOD) {
            out.add(new Knobs(k.metric(), k.target(), k.minReplicas(), k.upWindow(), k.upPods(), k.upPercent(), v,
                    k.downWindow(), k.downPercent(), k.downPeriod(), k.pollingInterval(), k.cooldownPeriod(), k.maxReplicas()));
        }
        for (int v : DOWN_WINDOW) {
            out.add(new Knobs(k.metric(), k.target(), k.minReplicas(), k.upWindow(), k.upPods(), k.upPercent(),
                    k.upPeriod(), v, k.downPercent(), k.downPeriod(), k.pollingInterval(), k.cooldownPeriod(), k.maxReplicas()));
        }
        for (int v : DOWN_PERCENT) {
            out.add(new Knobs(k.metric(), k.target(), k.minReplicas(), k.upWindow(), k.upPods(), k.upPercent(),
                    k.upPeriod(), k.downWindow(), v, k.downPeriod(), k.pollingInterval(), k.cooldownPeriod(), k.maxReplicas()));
        }
        for (int v : DOWN_PERIOD) {
            out.add(new Knobs(k.metric(), k.target(), k.minReplicas(), k.upWindow(), k.upPods(), k.upPercent(),
                    k.upPeriod(), k.downWindow(), k.downPercent(), v, k.pollingInterval(), k.cooldownPeriod(), k.maxReplicas()));
        }
        for (int v : maxima) {
            out.add(new Knobs(k.metric(), k.target(), k.minReplicas(), k.upWindow(), k.upPods(), k.upPercent(),
                    k.upPeriod(), k.downWindow(), k.downPercent(), k.downPeriod(), k.pollingInterval(),
                    k.cooldownPeriod(), v));
        }
        if (keda) {
            for (int v : POLLING) {
                out.add(new Knobs(k.metric(), k.target(), k.minReplicas(), k.upWindow(), k.upPods(), k.upPercent(),
                        k.upPeriod(), k.downWindow(), k.downPercent(), k.downPeriod(), v, k.cooldownPeriod(), k.maxReplicas()));
            }
            for (int v : COOLDOWN) {
                out.add(new Knobs(k.metric(), k.target(), k.minReplicas(), k.upWindow(), k.upPods(), k.upPercent(),
                        k.upPeriod(), k.downWindow(), k.downPercent(), k.downPeriod(), k.pollingInterval(), v, k.maxReplicas()));
            }
        }
        return out;
    }

    private static Knobs with(Knobs k, String metric, double target) {
        return new Knobs(metric, target, k.minReplicas(), k.upWindow(), k.upPods(), k.upPercent(), k.upPeriod(),
                k.downWindow(), k.downPercent(), k.downPeriod(), k.pollingInterval(), k.cooldownPeriod(), k.maxReplicas());
    }

    private static int pick(int[] values, SplittableRandom r) {
        return values[r.nextInt(values.length)];
    }

    private static double pick(double[] values, SplittableRandom r) {
        return values[r.nextInt(values.length)];
    }

    /** @return the knob values, for the documentation of the search */
    static Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        TARGETS.forEach((k, v) -> m.put(k, java.util.Arrays.toString(v)));
        return m;
    }
}
