package dev.llmautoscale.simulator.decision;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmautoscale.simulator.decision.BehaviorDecision.Decision;
import dev.llmautoscale.simulator.decision.BehaviorDecision.Recommendation;
import dev.llmautoscale.simulator.decision.BehaviorDecision.ScaleEvent;
import dev.llmautoscale.simulator.decision.ReplicaCalculator.Metric;
import dev.llmautoscale.simulator.decision.ReplicaCalculator.Settings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One HorizontalPodAutoscaler over simulated time: every sync it runs the replica calculation
 * ({@link #sync}: the {@code hpa-replicas} semantics) and then the behavior ({@code hpa-decide}: stabilization over
 * the recommendations it has recorded, policies over the scale events it has recorded, min/max), and remembers both
 * for the next sync, as the controller does.
 *
 * <p>What it keeps follows {@code reconcileAutoscaler} of {@code horizontal.go}: at the first sync it records the
 * current count as a recommendation ({@code recordInitialRecommendation}); each behavior run records its raw
 * recommendation, reusing the slot of one that has left both stabilization windows; each rescale records a scale
 * event (only for an HPA with {@code spec.behavior}), reusing the slot of one older than the direction's longest
 * policy period. At 0 replicas with minReplicas > 0 it does nothing (ScalingDisabled); when the metrics fail it
 * leaves the count alone and records nothing. An HPA without {@code spec.behavior} runs the controller's older
 * {@code normalizeDesiredReplicas} (300 s scale-down stabilization, at most {@code max(2 × current, 4)}).
 *
 * <p>CONTRACT for the simulator engine (the signatures are fixed). Not thread-safe: one simulation thread.
 */
public final class HpaController {

    private final ScaleTarget scaleTarget;
    private final int minReplicas;
    private final int maxReplicas;
    private final List<MetricSpec> metricSpecs;
    private final List<Metric> metrics;
    private final HpaBehavior behavior;
    private final Settings settings;

    private final List<Recommendation> recommendations = new ArrayList<>();
    private final List<ScaleEvent> scaleUpEvents = new ArrayList<>();
    private final List<ScaleEvent> scaleDownEvents = new ArrayList<>();

    private HpaController(ScaleTarget scaleTarget, int minReplicas, int maxReplicas, List<MetricSpec> metricSpecs,
                          List<Metric> metrics, HpaBehavior behavior, Settings settings) {
        this.scaleTarget = scaleTarget;
        this.minReplicas = minReplicas;
        this.maxReplicas = maxReplicas;
        this.metricSpecs = List.copyOf(metricSpecs);
        this.metrics = List.copyOf(metrics);
        this.behavior = behavior;
        this.settings = settings;
    }

    /**
     * Reads an {@code autoscaling/v2} HorizontalPodAutoscaler {@code spec} (scaleTargetRef, minReplicas,
     * maxReplicas, metrics, behavior) with the Kubernetes defaults for what is missing: minReplicas 1, metrics
     * cpu Utilization 80% when absent or empty, and for a present behavior every missing field.
     *
     * @param spec      the {@code spec} node
     * @param file      the file it came from, for error messages
     * @param fieldPath the path of {@code spec} in that file, for error messages (for example {@code "spec"})
     * @param tolerance the controller's tolerance (0.1 by default)
     * @return the controller
     * @throws dev.llmautoscale.simulator.config.ConfigException naming the file and field of a bad value
     */
    public static HpaController fromSpec(JsonNode spec, String file, String fieldPath, double tolerance) {
        JsonFields s = JsonFields.of(spec, file, fieldPath);
        s.allowOnly("scaleTargetRef", "minReplicas", "maxReplicas", "metrics", "behavior");
        JsonFields ref = s.requiredObject("scaleTargetRef");
        ref.allowOnly("apiVersion", "kind", "name");
        ScaleTarget target = new ScaleTarget(ref.string("apiVersion", null), ref.requiredString("kind"),
                ref.requiredString("name"));
        int max = s.requiredInt("maxReplicas", 1, Integer.MAX_VALUE);
        int min = s.optionalInt("minReplicas", 1, 0, Integer.MAX_VALUE);
        if (min > max) {
            throw s.error("minReplicas", "must be <= maxReplicas (" + max + "), not " + min);
        }
        List<HpaSpecReader.ParsedMetric> parsed;
        if (s.array("metrics", false).isEmpty()) {
            // SetDefaults_HorizontalPodAutoscaler: cpu Utilization 80%
            parsed = List.of(new HpaSpecReader.ParsedMetric(new Metric(ReplicaCalculator.SourceType.RESOURCE, "cpu",
                    ReplicaCalculator.TargetType.UTILIZATION, 80), Map.of()));
        } else {
            parsed = HpaSpecReader.metrics(s);
        }
        if (min == 0 && parsed.stream().noneMatch(m -> m.metric().source() == ReplicaCalculator.SourceType.OBJECT
                || m.metric().source() == ReplicaCalculator.SourceType.EXTERNAL)) {
            // the API server's validation for HPAScaleToZero
            throw s.error("minReplicas", "0 needs at least one Object or External metric to support scaling to zero"
                    + " replicas; use minReplicas >= 1 or add such a metric");
        }
        JsonFields b = s.optionalObject("behavior");
        HpaBehavior behavior = b == null ? null : HpaSpecReader.behavior(b);
        return create(target, min, max, parsed, behavior, tolerance);
    }

    /**
     * An HPA built in code (KEDA's, for example).
     *
     * @param target      the scale target
     * @param minReplicas spec.minReplicas
     * @param maxReplicas spec.maxReplicas
     * @param metrics     spec.metrics
     * @param behavior    spec.behavior filled with defaults, or null for an HPA without one
     * @param tolerance   the controller's tolerance
     * @return the controller
     */
    static HpaController create(ScaleTarget target, int minReplicas, int maxReplicas,
                                List<HpaSpecReader.ParsedMetric> metrics, HpaBehavior behavior, double tolerance) {
        List<MetricSpec> specs = new ArrayList<>();
        List<Metric> calc = new ArrayList<>();
        for (HpaSpecReader.ParsedMetric pm : metrics) {
            Metric m = pm.metric();
            calc.add(m);
            double t = m.targetType() == ReplicaCalculator.TargetType.UTILIZATION ? m.target() : m.target() / 1000.0;
            specs.add(new MetricSpec(m.source().apiName(), m.name(), m.targetType().apiName(), t,
                    Map.copyOf(pm.selector())));
        }
        Tolerances tol = Tolerances.of(tolerance);
        if (behavior != null) {
            tol = new Tolerances(
                    behavior.scaleDown().tolerance() != null ? behavior.scaleDown().tolerance() : tolerance,
                    behavior.scaleUp().tolerance() != null ? behavior.scaleUp().tolerance() : tolerance);
        }
        return new HpaController(target, minReplicas, maxReplicas, specs, calc, behavior,
                new Settings(tol, ReplicaCalculator.Settings.DEFAULT.cpuInitializationPeriodSeconds(),
                        ReplicaCalculator.Settings.DEFAULT.initialReadinessDelaySeconds()));
    }

    /** @return the HPA's metrics, as parsed (type, name, target, selector) */
    public List<MetricSpec> metrics() {
        return metricSpecs;
    }

    /** @return spec.minReplicas (default 1) */
    public int minReplicas() {
        return minReplicas;
    }

    /** @return spec.maxReplicas */
    public int maxReplicas() {
        return maxReplicas;
    }

    /** @return spec.scaleTargetRef */
    public ScaleTarget scaleTarget() {
        return scaleTarget;
    }

    /** @return spec.behavior with its defaults filled in, or null when the HPA has none (the legacy path) */
    public HpaBehavior behavior() {
        return behavior;
    }

    /** @return the recommendations the controller keeps now (a copy, for reports and tests) */
    public List<Recommendation> recommendations() {
        return List.copyOf(recommendations);
    }

    /** @return the scale-up events the controller keeps now (a copy) */
    public List<ScaleEvent> scaleUpEvents() {
        return List.copyOf(scaleUpEvents);
    }

    /** @return the scale-down events the controller keeps now (a copy) */
    public List<ScaleEvent> scaleDownEvents() {
        return List.copyOf(scaleDownEvents);
    }

    /**
     * One controller sync.
     *
     * @param now             seconds of simulated time
     * @param currentReplicas the scale target's spec.replicas
     * @param pods            every pod the selector matches
     * @param values          Object / External metric values by metric name; a name absent (or a NaN or infinite
     *                        value) is a failing metric
     * @return the new spec.replicas and why
     */
    public SyncResult sync(double now, int currentReplicas, List<HpaPod> pods, Map<String, Double> values) {
        List<ReplicaCalculator.Pod> calcPods = new ArrayList<>(pods.size());
        for (HpaPod p : pods) {
            calcPods.add(ReplicaCalculator.Pod.of(p));
        }
        Map<String, Long> milli = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (v != null && Double.isFinite(v)) {
                milli.put(k, Quantity.milli(v));
            }
        });
        return syncMilli(now, currentReplicas, calcPods, milli);
    }

    /**
     * {@link #sync} with the Object/External values already in milli-units (KEDA serves them so).
     *
     * @param now             seconds
     * @param currentReplicas the scale target's spec.replicas
     * @param pods            the pods
     * @param values          metric values in milli-units
     * @return the sync result
     */
    SyncResult syncMilli(double now, int currentReplicas, List<ReplicaCalculator.Pod> pods, Map<String, Long> values) {
        if (recommendations.isEmpty()) {
            recommendations.add(new Recommendation(now, currentReplicas));
        }
        if (currentReplicas == 0 && minReplicas != 0) {
            return new SyncResult(0, 0, "ScalingDisabled");
        }
        int desired;
        int recommendation;
        String reason;
        if (currentReplicas > maxReplicas) {
            desired = maxReplicas;
            recommendation = maxReplicas;
            reason = "TooManyReplicas";
        } else if (currentReplicas < minReplicas) {
            desired = minReplicas;
            recommendation = minReplicas;
            reason = "TooFewReplicas";
        } else {
            ReplicaCalculator.Result r = ReplicaCalculator.computeReplicasForMetrics(currentReplicas, metrics, pods,
                    values, settings);
            if (!r.acted()) {
                return new SyncResult(currentReplicas, currentReplicas, failureReason(r));
            }
            recommendation = Math.max(0, r.replicas());
            Decision d = behavior == null ? legacy(now, currentReplicas, recommendation)
                    : withBehavior(now, currentReplicas, recommendation);
            desired = d.replicas();
            reason = d.reason();
        }
        if (desired != currentReplicas && behavior != null) {
            storeScaleEvent(now, currentReplicas, desired);
        }
        return new SyncResult(recommendation, desired, reason);
    }

    private String failureReason(ReplicaCalculator.Result r) {
        for (int i = 0; i < metrics.size(); i++) {
            if (r.proposals().get(i).failed()) {
                return "FailedGet" + metrics.get(i).source().apiName() + "Metric";
            }
        }
        return "FailedGetMetric";
    }

    private Decision withBehavior(double now, int currentReplicas, int desired) {
        Decision d = BehaviorDecision.decide(now, minReplicas, maxReplicas, currentReplicas, desired, behavior,
                recommendations, scaleUpEvents, scaleDownEvents);
        recordRecommendation(recommendations, now, behavior.scaleUp().stabilizationWindowSeconds(),
                behavior.scaleDown().stabilizationWindowSeconds(), desired);
        return d;
    }

    private Decision legacy(double now, int currentReplicas, int desired) {
        Decision d = BehaviorDecision.decideLegacy(now, minReplicas, maxReplicas, currentReplicas, desired,
                recommendations);
        recordLegacyRecommendation(recommendations, now, desired);
        return d;
    }

    /**
     * {@code stabilizeRecommendationWithBehaviors}' bookkeeping: the raw recommendation replaces the last one that
     * is strictly older than both windows, or is appended.
     *
     * @param recommendations the kept recommendations (changed)
     * @param now             seconds
     * @param upWindow        scaleUp.stabilizationWindowSeconds
     * @param downWindow      scaleDown.stabilizationWindowSeconds
     * @param desired         the raw recommendation
     */
    static void recordRecommendation(List<Recommendation> recommendations, double now, double upWindow,
                                     double downWindow, int desired) {
        double upCutoff = now - upWindow;
        double downCutoff = now - downWindow;
        int old = -1;
        for (int i = 0; i < recommendations.size(); i++) {
            double t = recommendations.get(i).t();
            if (t < upCutoff && t < downCutoff) {
                old = i;
            }
        }
        put(recommendations, old, new Recommendation(now, desired));
    }

    /**
     * {@code stabilizeRecommendation}'s bookkeeping (no behavior): replaces the last recommendation older than
     * 300 s, or appends.
     *
     * @param recommendations the kept recommendations (changed)
     * @param now             seconds
     * @param desired         the raw recommendation
     */
    static void recordLegacyRecommendation(List<Recommendation> recommendations, double now, int desired) {
        double cutoff = now - BehaviorDecision.LEGACY_DOWNSCALE_STABILIZATION_SECONDS;
        int old = -1;
        for (int i = 0; i < recommendations.size(); i++) {
            if (recommendations.get(i).t() < cutoff) {
                old = i;
            }
        }
        put(recommendations, old, new Recommendation(now, desired));
    }

    /** storeScaleEvent, for the direction of the change. */
    private void storeScaleEvent(double now, int prev, int next) {
        boolean up = next > prev;
        storeEvent(up ? scaleUpEvents : scaleDownEvents, now,
                (up ? behavior.scaleUp() : behavior.scaleDown()).longestPolicyPeriod(), Math.abs(next - prev));
    }

    /**
     * {@code storeScaleEvent}: the event replaces the last one strictly older than the direction's longest policy
     * period ({@code markScaleEventsOutdated}), or is appended.
     *
     * @param events        the kept events of one direction (changed)
     * @param now           seconds
     * @param longestPeriod the direction's longest policy period
     * @param change        pods added or removed
     */
    static void storeEvent(List<ScaleEvent> events, double now, int longestPeriod, int change) {
        double cutoff = now - longestPeriod;
        int old = -1;
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).t() < cutoff) {
                old = i;
            }
        }
        put(events, old, new ScaleEvent(now, change));
    }

    private static <E> void put(List<E> list, int index, E element) {
        if (index >= 0) {
            list.set(index, element);
        } else {
            list.add(element);
        }
    }

    /**
     * spec.scaleTargetRef.
     *
     * @param apiVersion the target's API version, or null
     * @param kind       Deployment, StatefulSet, ...
     * @param name       the target's name
     */
    public record ScaleTarget(String apiVersion, String kind, String name) {
    }

    /**
     * One parsed entry of spec.metrics.
     *
     * @param type       Resource, Pods, Object or External
     * @param name       resource name or metric name
     * @param targetType Utilization, AverageValue or Value
     * @param target     the target in base units (a percent for Utilization)
     * @param selector   the metric's label selector (matchLabels), empty when absent
     */
    public record MetricSpec(String type, String name, String targetType, double target, Map<String, String> selector) {
    }

    /**
     * The outcome of one sync.
     *
     * @param recommendation the raw recommendation from the metrics (hpa-replicas), before behavior
     * @param replicas       the new spec.replicas after behavior and min/max (hpa-decide)
     * @param reason         DesiredWithinRange, ScaleUpStabilized, ScaleDownStabilized, ScaleUpLimit, ScaleDownLimit,
     *                       TooFewReplicas or TooManyReplicas; and, where the controller does not run the behavior,
     *                       ScalingDisabled (0 replicas, minReplicas > 0) or FailedGet{Resource,Pods,Object,External}Metric
     *                       (the metrics failed; the count is left alone); Paused for the HPA of a paused KEDA
     *                       ScaledObject (KEDA deleted it)
     */
    public record SyncResult(int recommendation, int replicas, String reason) {
    }
}
