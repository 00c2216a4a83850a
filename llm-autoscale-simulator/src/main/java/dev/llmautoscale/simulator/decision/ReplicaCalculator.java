package dev.llmautoscale.simulator.decision;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The HPA controller's replica calculation ({@code replica_calculator.go} and {@code computeReplicasForMetrics} of
 * {@code horizontal.go}) exactly as {@code ../shared/specs/hpa-replicas.md} states it: pod groups, Resource
 * Utilization with rebalancing of missing and unready pods, plain (AverageValue) metrics, Object and External
 * metrics with Value and AverageValue targets, the tolerance inside each metric, the maximum over the metrics and
 * the rule that a failing metric can block a scale-down but never a scale-up. Averages are integer milli-units
 * truncated toward zero; ratios and proposals are float64.
 */
public final class ReplicaCalculator {

    private ReplicaCalculator() {
    }

    /** The four metric source types of {@code autoscaling/v2}. */
    public enum SourceType {
        /** {@code type: Resource} (cpu, memory) */
        RESOURCE("Resource"),
        /** {@code type: Pods}: a custom metric averaged over the pods */
        PODS("Pods"),
        /** {@code type: Object}: a metric of one Kubernetes object */
        OBJECT("Object"),
        /** {@code type: External}: a metric from outside the cluster */
        EXTERNAL("External");

        private final String apiName;

        SourceType(String apiName) {
            this.apiName = apiName;
        }

        /** @return the name as written in spec.metrics[].type */
        public String apiName() {
            return apiName;
        }
    }

    /** The target kinds of {@code autoscaling/v2} MetricTarget. */
    public enum TargetType {
        /** {@code averageUtilization}: an integer percent of the pods' requests */
        UTILIZATION("Utilization"),
        /** {@code averageValue}: per pod */
        AVERAGE_VALUE("AverageValue"),
        /** {@code value}: the whole metric */
        VALUE("Value");

        private final String apiName;

        TargetType(String apiName) {
            this.apiName = apiName;
        }

        /** @return the name as written in target.type */
        public String apiName() {
            return apiName;
        }
    }

    /**
     * One metric of the HPA, with the target field the controller actually uses already chosen.
     *
     * @param source     the source type
     * @param name       the resource name (Resource) or metric name (Pods, Object, External)
     * @param targetType which target field is used
     * @param target     the target: a percent for Utilization, else milli-units
     */
    public record Metric(SourceType source, String name, TargetType targetType, long target) {
    }

    /**
     * One pod as the replica calculation sees it, with samples and requests already in milli-units.
     *
     * @param name                      unique name
     * @param phase                     Running, Pending, Succeeded, Failed or Unknown
     * @param ready                     the PodReady condition
     * @param deleted                   has a deletionTimestamp
     * @param startSecondsAgo           seconds since the pod started
     * @param readyTransitionSecondsAgo seconds since PodReady last changed
     * @param metrics                   metric or resource name to the sample, milli-units
     * @param metricSecondsAgo          age of the cpu sample
     * @param metricWindowSeconds       window of the cpu sample
     * @param requests                  resource name to the pod's request, milli-units
     */
    public record Pod(String name, String phase, boolean ready, boolean deleted, double startSecondsAgo,
                      double readyTransitionSecondsAgo, Map<String, Long> metrics, double metricSecondsAgo,
                      double metricWindowSeconds, Map<String, Long> requests) {

        /**
         * Converts the engine's pod (doubles in base units) with {@link Quantity#milli(double)}; a null, NaN or infinite
         * sample is a missing sample (and such a request a missing request).
         *
         * @param pod the pod
         * @return the same pod in milli-units
         */
        public static Pod of(HpaPod pod) {
            return new Pod(pod.name(), pod.phase(), pod.ready(), pod.deleted(), pod.startSecondsAgo(),
                    pod.readyTransitionSecondsAgo(), toMilli(pod.metrics()), pod.metricSecondsAgo(),
                    pod.metricWindowSeconds(), toMilli(pod.requests()));
        }

        private static Map<String, Long> toMilli(Map<String, Double> values) {
            Map<String, Long> out = new LinkedHashMap<>();
            if (values != null) {
                values.forEach((k, v) -> {
                    if (v != null && Double.isFinite(v)) {
                        out.put(k, Quantity.milli(v));
                    }
                });
            }
            return out;
        }
    }

    /**
     * The controller's flags that the calculation reads.
     *
     * @param tolerances                     the tolerance (--horizontal-pod-autoscaler-tolerance, 0.1)
     * @param cpuInitializationPeriodSeconds --horizontal-pod-autoscaler-cpu-initialization-period (300)
     * @param initialReadinessDelaySeconds   --horizontal-pod-autoscaler-initial-readiness-delay (30)
     */
    public record Settings(Tolerances tolerances, double cpuInitializationPeriodSeconds,
                           double initialReadinessDelaySeconds) {

        /** The controller's defaults. */
        public static final Settings DEFAULT = new Settings(Tolerances.DEFAULT, 300, 30);
    }

    /**
     * One metric's outcome.
     *
     * @param replicas the proposal, or null when the metric failed
     * @param failure  why it failed (the controller's error text), or null
     */
    public record Proposal(Integer replicas, String failure) {

        static Proposal of(long replicas) {
            return new Proposal(clampInt(replicas), null);
        }

        static Proposal failed(String why) {
            return new Proposal(null, why);
        }

        /** @return whether the metric failed */
        public boolean failed() {
            return replicas == null;
        }
    }

    /**
     * The outcome of {@link #computeReplicasForMetrics}.
     *
     * @param replicas  the desired count from the metrics; currentReplicas when the controller would not act
     * @param acted     false when every metric failed, or some failed and the rest proposed a scale-down
     * @param proposals one per metric, in spec order
     */
    public record Result(int replicas, boolean acted, List<Proposal> proposals) {
    }

    /**
     * {@code computeReplicasForMetrics}: the maximum of the proposals of the metrics that did not fail.
     *
     * @param currentReplicas the target's spec.replicas
     * @param metrics         spec.metrics, non-empty
     * @param pods            every pod the selector matches
     * @param values          Object/External metric values by name, milli-units
     * @param settings        the controller's flags
     * @return the desired count and the per-metric proposals
     */
    public static Result computeReplicasForMetrics(int currentReplicas, List<Metric> metrics, List<Pod> pods,
                                                   Map<String, Long> values, Settings settings) {
        List<Proposal> proposals = new ArrayList<>(metrics.size());
        int replicas = 0;
        int invalid = 0;
        for (Metric metric : metrics) {
            Proposal p = computeReplicasForMetric(currentReplicas, metric, pods, values, settings);
            proposals.add(p);
            if (p.failed()) {
                invalid++;
                continue;
            }
            // horizontal.go: "if replicas == 0 || replicaCountProposal > replicas"
            if (replicas == 0 || p.replicas() > replicas) {
                replicas = p.replicas();
            }
        }
        if (invalid >= metrics.size() || (invalid > 0 && replicas < currentReplicas)) {
            return new Result(currentReplicas, false, List.copyOf(proposals));
        }
        return new Result(replicas, true, List.copyOf(proposals));
    }

    /**
     * One metric's proposal.
     *
     * @param currentReplicas the target's spec.replicas
     * @param metric          the metric
     * @param pods            every pod the selector matches
     * @param values          Object/External metric values by name, milli-units
     * @param settings        the controller's flags
     * @return the proposal, or a failure
     */
    public static Proposal computeReplicasForMetric(int currentReplicas, Metric metric, List<Pod> pods,
                                                    Map<String, Long> values, Settings settings) {
        return switch (metric.source()) {
            case RESOURCE -> metric.targetType() == TargetType.UTILIZATION
                    ? resourceUtilization(currentReplicas, metric, pods, settings)
                    : plainMetric(currentReplicas, metric, pods, settings, metric.name());
            case PODS -> plainMetric(currentReplicas, metric, pods, settings, "");
            case OBJECT, EXTERNAL -> {
                Long usage = values.get(metric.name());
                if (usage == null) {
                    yield Proposal.failed("unable to get metric " + metric.name());
                }
                yield metric.targetType() == TargetType.VALUE
                        ? valueTarget(currentReplicas, usage, metric.target(), pods, settings.tolerances())
                        : averageValueTarget(currentReplicas, usage, metric.target(), settings.tolerances());
            }
        };
    }

    /** The pods of one Pods or Resource metric, grouped ({@code groupPods}). */
    static final class Groups {
        final Map<String, Long> samples = new LinkedHashMap<>();
        final Set<String> unready = new LinkedHashSet<>();
        final Set<String> missing = new LinkedHashSet<>();
        final Set<String> ignored = new LinkedHashSet<>();
        int readyCount;
    }

    /**
     * {@code groupPods}: every pod falls into the first group that matches (ignored, unready, missing, cpu-unready,
     * ready).
     */
    static Groups groupPods(List<Pod> pods, String sampleKey, boolean cpu, Settings settings) {
        Groups g = new Groups();
        for (Pod pod : pods) {
            if (pod.deleted() || "Failed".equals(pod.phase()) || "Succeeded".equals(pod.phase())) {
                g.ignored.add(pod.name());
                continue;
            }
            if ("Pending".equals(pod.phase())) {
                g.unready.add(pod.name());
                continue;
            }
            Long sample = pod.metrics().get(sampleKey);
            if (sample == null) {
                g.missing.add(pod.name());
                continue;
            }
            if (cpu && cpuUnready(pod, settings)) {
                g.unready.add(pod.name());
                continue;
            }
            g.samples.put(pod.name(), sample);
            g.readyCount++;
        }
        return g;
    }

    private static boolean cpuUnready(Pod pod, Settings settings) {
        if (pod.startSecondsAgo() < settings.cpuInitializationPeriodSeconds()) {
            // still within the initialization period: unready, or the sample does not cover one full window since
            // the last readiness change
            return !pod.ready()
                    || pod.metricSecondsAgo() > pod.readyTransitionSecondsAgo() - pod.metricWindowSeconds();
        }
        // never been ready: readiness last changed within the delay after the start
        return !pod.ready()
                && pod.readyTransitionSecondsAgo() > pod.startSecondsAgo() - settings.initialReadinessDelaySeconds();
    }

    /** GetResourceReplicas: a Resource metric with an averageUtilization target. */
    private static Proposal resourceUtilization(int currentReplicas, Metric metric, List<Pod> pods, Settings settings) {
        if (pods.isEmpty()) {
            return Proposal.failed("no pods returned by selector while calculating replica count");
        }
        String resource = metric.name();
        Groups g = groupPods(pods, resource, "cpu".equals(resource), settings);
        if (g.samples.isEmpty()) {
            return Proposal.failed("did not receive metrics for targeted pods (pods might be unready)");
        }
        Map<String, Long> requests = new LinkedHashMap<>();
        for (Pod pod : pods) {
            Long request = pod.requests().get(resource);
            if (request == null) {
                return Proposal.failed("missing request for " + resource + " of Pod " + pod.name());
            }
            requests.put(pod.name(), request);
        }
        long targetUtilization = metric.target();
        Long utilization = utilization(g.samples, requests);
        if (utilization == null) {
            return Proposal.failed("no metrics returned matched known pods");
        }
        double usageRatio = (double) utilization / (double) targetUtilization;
        Tolerances tol = settings.tolerances();
        boolean scaleUpWithUnready = !g.unready.isEmpty() && usageRatio > 1.0;
        if (!scaleUpWithUnready && g.missing.isEmpty()) {
            if (tol.isWithin(usageRatio)) {
                return Proposal.of(currentReplicas);
            }
            return Proposal.of(ceil(usageRatio * (double) g.readyCount));
        }
        Map<String, Long> rebalanced = new LinkedHashMap<>(g.samples);
        if (!g.missing.isEmpty()) {
            if (usageRatio < 1.0) {
                long fallback = Math.max(100, targetUtilization);
                for (String name : g.missing) {
                    rebalanced.put(name, requests.get(name) * fallback / 100);
                }
            } else if (usageRatio > 1.0) {
                for (String name : g.missing) {
                    rebalanced.put(name, 0L);
                }
            }
        }
        if (scaleUpWithUnready) {
            for (String name : g.unready) {
                rebalanced.put(name, 0L);
            }
        }
        Long newUtilization = utilization(rebalanced, requests);
        if (newUtilization == null) {
            return Proposal.failed("no metrics returned matched known pods");
        }
        double newUsageRatio = (double) newUtilization / (double) targetUtilization;
        return rebalancedProposal(currentReplicas, usageRatio, newUsageRatio, rebalanced.size(), tol);
    }

    /** GetResourceUtilizationRatio's integer percent, or null when the requests sum to 0. */
    private static Long utilization(Map<String, Long> samples, Map<String, Long> requests) {
        long metricsTotal = 0;
        long requestsTotal = 0;
        for (Map.Entry<String, Long> e : samples.entrySet()) {
            metricsTotal += e.getValue();
            requestsTotal += requests.get(e.getKey());
        }
        if (requestsTotal == 0) {
            return null;
        }
        // int32((metricsTotal * 100) / requestsTotal)
        return (long) (int) ((metricsTotal * 100) / requestsTotal);
    }

    /** calcPlainMetricReplicas: Pods metrics and Resource metrics with an averageValue target. */
    private static Proposal plainMetric(int currentReplicas, Metric metric, List<Pod> pods, Settings settings,
                                        String resource) {
        if (pods.isEmpty()) {
            return Proposal.failed("no pods returned by selector while calculating replica count");
        }
        Groups g = groupPods(pods, metric.name(), "cpu".equals(resource), settings);
        if (g.samples.isEmpty()) {
            return Proposal.failed("did not receive metrics for targeted pods (pods might be unready)");
        }
        long targetUsage = metric.target();
        double usageRatio = usageRatio(g.samples, targetUsage);
        Tolerances tol = settings.tolerances();
        boolean scaleUpWithUnready = !g.unready.isEmpty() && usageRatio > 1.0;
        if (!scaleUpWithUnready && g.missing.isEmpty()) {
            if (tol.isWithin(usageRatio)) {
                return Proposal.of(currentReplicas);
            }
            return Proposal.of(ceil(usageRatio * (double) g.readyCount));
        }
        Map<String, Long> rebalanced = new LinkedHashMap<>(g.samples);
        if (!g.missing.isEmpty()) {
            if (usageRatio < 1.0) {
                for (String name : g.missing) {
                    rebalanced.put(name, targetUsage);
                }
            } else if (usageRatio > 1.0) {
                for (String name : g.missing) {
                    rebalanced.put(name, 0L);
                }
            }
        }
        if (scaleUpWithUnready) {
            for (String name : g.unready) {
                rebalanced.put(name, 0L);
            }
        }
        double newUsageRatio = usageRatio(rebalanced, targetUsage);
        return rebalancedProposal(currentReplicas, usageRatio, newUsageRatio, rebalanced.size(), tol);
    }

    /** GetMetricUsageRatio: the truncated integer average over the target, on float64. */
    private static double usageRatio(Map<String, Long> samples, long targetUsage) {
        long total = 0;
        for (long v : samples.values()) {
            total += v;
        }
        long average = total / samples.size();
        return (double) average / (double) targetUsage;
    }

    private static Proposal rebalancedProposal(int currentReplicas, double usageRatio, double newUsageRatio,
                                               int counted, Tolerances tol) {
        if (tol.isWithin(newUsageRatio) || (usageRatio < 1.0 && newUsageRatio > 1.0)
                || (usageRatio > 1.0 && newUsageRatio < 1.0)) {
            return Proposal.of(currentReplicas);
        }
        long newReplicas = ceil(newUsageRatio * (double) counted);
        if ((newUsageRatio < 1.0 && newReplicas > currentReplicas)
                || (newUsageRatio > 1.0 && newReplicas < currentReplicas)) {
            return Proposal.of(currentReplicas);
        }
        return Proposal.of(newReplicas);
    }

    /** GetObjectMetricReplicas / GetExternalMetricReplicas (getUsageRatioReplicaCount). */
    private static Proposal valueTarget(int currentReplicas, long usage, long target, List<Pod> pods, Tolerances tol) {
        double usageRatio = (double) usage / (double) target;
        if (currentReplicas == 0) {
            return Proposal.of(ceil(usageRatio));
        }
        if (tol.isWithin(usageRatio)) {
            return Proposal.of(currentReplicas);
        }
        if (pods.isEmpty()) {
            return Proposal.failed("unable to calculate ready pods: no pods returned by selector while calculating"
                    + " replica count");
        }
        long readyPods = pods.stream().filter(p -> "Running".equals(p.phase()) && p.ready()).count();
        return Proposal.of(ceil(usageRatio * (double) readyPods));
    }

    /** GetObjectPerPodMetricReplicas / GetExternalPerPodMetricReplicas. */
    private static Proposal averageValueTarget(int currentReplicas, long usage, long target, Tolerances tol) {
        double usageRatio = (double) usage / ((double) target * (double) currentReplicas);
        if (tol.isWithin(usageRatio)) {
            return Proposal.of(currentReplicas);
        }
        return Proposal.of(ceil((double) usage / (double) target));
    }

    /** {@code int32(math.Ceil(x))}, capped at the int32 range (the controller caps at MaxInt32). */
    private static long ceil(double x) {
        double c = Math.ceil(x);
        if (Double.isNaN(c)) {
            return Integer.MIN_VALUE;
        }
        return (long) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, c));
    }

    private static int clampInt(long v) {
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }
}
