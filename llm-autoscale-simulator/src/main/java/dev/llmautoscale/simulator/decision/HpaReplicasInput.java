package dev.llmautoscale.simulator.decision;

import dev.llmautoscale.simulator.decision.ReplicaCalculator.Metric;
import dev.llmautoscale.simulator.decision.ReplicaCalculator.Pod;
import dev.llmautoscale.simulator.decision.ReplicaCalculator.Settings;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One input object of the {@code hpa-replicas} command ({@code ../shared/specs/hpa-replicas.md}).
 *
 * @param currentReplicas the target's spec.replicas
 * @param settings        tolerance, cpu initialization period, initial readiness delay
 * @param metrics         spec.metrics
 * @param pods            the pods the selector matches
 * @param values          Object/External values by metric name, milli-units
 */
public record HpaReplicasInput(int currentReplicas, Settings settings, List<Metric> metrics, List<Pod> pods,
                               Map<String, Long> values) {

    /**
     * The default {@code startSecondsAgo}, "long ago": outside every cpu initialization period, yet finite, so that
     * a pod that is not ready and whose readiness never changed since its start counts as never ready.
     */
    public static final double LONG_AGO_SECONDS = 1e12;

    private static final String[] PHASES = {"Running", "Pending", "Succeeded", "Failed", "Unknown"};

    /**
     * Reads and validates one input object.
     *
     * @param in the object
     * @return the input
     * @throws dev.llmautoscale.simulator.config.ConfigException naming the field of a bad value
     */
    public static HpaReplicasInput parse(JsonFields in) {
        in.allowOnly("currentReplicas", "tolerance", "cpuInitializationPeriodSeconds", "initialReadinessDelaySeconds",
                "metrics", "pods", "values");
        int current = in.requiredInt("currentReplicas", 0, Integer.MAX_VALUE);
        double tolerance = in.optionalNumber("tolerance", 0.1, 0);
        double cpuInit = in.optionalNumber("cpuInitializationPeriodSeconds", 300, 0);
        double readinessDelay = in.optionalNumber("initialReadinessDelaySeconds", 30, 0);
        List<Metric> metrics = new ArrayList<>();
        for (HpaSpecReader.ParsedMetric m : HpaSpecReader.metrics(in)) {
            metrics.add(m.metric());
        }
        List<Pod> pods = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonFields p : in.objects("pods", false)) {
            p.allowOnly("name", "phase", "ready", "deleted", "startSecondsAgo", "readyTransitionSecondsAgo", "metrics",
                    "metricSecondsAgo", "metricWindowSeconds", "requests");
            String name = p.requiredString("name");
            if (!names.add(name)) {
                throw p.error("name", "\"" + name + "\" is used by another pod; pod names must be unique");
            }
            String phase = p.string("phase", "Running", PHASES);
            boolean ready = p.bool("ready", true);
            boolean deleted = p.bool("deleted", false);
            double start = p.optionalNumber("startSecondsAgo", LONG_AGO_SECONDS, 0);
            double transition = p.optionalNumber("readyTransitionSecondsAgo", start, 0);
            double metricAgo = p.optionalNumber("metricSecondsAgo", 0, 0);
            double window = p.optionalNumber("metricWindowSeconds", 60, 0);
            pods.add(new Pod(name, phase, ready, deleted, start, transition, milliMap(p, "metrics"), metricAgo, window,
                    milliMap(p, "requests")));
        }
        Map<String, Long> values = milliMap(in, "values");
        return new HpaReplicasInput(current, new Settings(Tolerances.of(tolerance), cpuInit, readinessDelay),
                List.copyOf(metrics), List.copyOf(pods), values);
    }

    private static Map<String, Long> milliMap(JsonFields owner, String field) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<String, BigDecimal> e : owner.numberMap(field).entrySet()) {
            out.put(e.getKey(), HpaSpecReader.milli(owner, field + "." + e.getKey(), e.getValue()));
        }
        return out;
    }

    /** @return the calculation's result */
    public ReplicaCalculator.Result compute() {
        return ReplicaCalculator.computeReplicasForMetrics(currentReplicas, metrics, pods, values, settings);
    }
}
