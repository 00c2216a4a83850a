package dev.llmautoscale.simulator.decision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmautoscale.simulator.decision.KedaDecision.Fallback;
import dev.llmautoscale.simulator.decision.KedaDecision.TriggerState;
import dev.llmautoscale.simulator.decision.ReplicaCalculator.Metric;
import dev.llmautoscale.simulator.decision.ReplicaCalculator.SourceType;
import dev.llmautoscale.simulator.decision.ReplicaCalculator.TargetType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One KEDA ScaledObject over simulated time: its polling cycles ({@link #poll}: the {@code keda-decide} semantics,
 * with lastActiveTime and the per-trigger failure counts carried from cycle to cycle) and the HorizontalPodAutoscaler
 * KEDA creates for it ({@link #hpaSync}: External metrics {@code s<index>-<metric>}, minReplicas
 * max(minReplicaCount, 1), behavior from {@code advanced.horizontalPodAutoscalerConfig}, fallback metric values),
 * which does nothing while the target is at 0 replicas.
 *
 * <p>The ScaledObject counts as created at simulated time 0 (its {@code initialCooldownPeriod} runs from there).
 *
 * <p>CONTRACT for the simulator engine (the signatures are fixed). Not thread-safe: one simulation thread.
 */
public final class KedaController {

    private final String name;
    private final String scaleTargetName;
    private final List<Trigger> triggers;
    private final List<String> metricNames;
    private final double pollingInterval;
    private final double cooldownPeriod;
    private final double initialCooldownPeriod;
    private final int minReplicaCount;
    private final int maxReplicaCount;
    private final Integer idleReplicaCount;
    private final Fallback fallback;
    private final Map<String, String> annotations;
    private final HpaController hpa;

    private Double lastActiveTime;
    private boolean active;
    private final int[] numberOfFailures;

    private KedaController(String name, String scaleTargetName, List<Trigger> triggers, List<String> metricNames,
                           double pollingInterval, double cooldownPeriod, double initialCooldownPeriod,
                           int minReplicaCount, int maxReplicaCount, Integer idleReplicaCount, Fallback fallback,
                           Map<String, String> annotations, HpaController hpa) {
        this.name = name;
        this.scaleTargetName = scaleTargetName;
        this.triggers = List.copyOf(triggers);
        this.metricNames = List.copyOf(metricNames);
        this.pollingInterval = pollingInterval;
        this.cooldownPeriod = cooldownPeriod;
        this.initialCooldownPeriod = initialCooldownPeriod;
        this.minReplicaCount = minReplicaCount;
        this.maxReplicaCount = maxReplicaCount;
        this.idleReplicaCount = idleReplicaCount;
        this.fallback = fallback;
        this.annotations = Map.copyOf(annotations);
        this.hpa = hpa;
        this.numberOfFailures = new int[triggers.size()];
    }

    /**
     * Reads a KEDA {@code ScaledObject} {@code spec} and {@code metadata.annotations} with KEDA's defaults.
     *
     * @param scaledObject the whole ScaledObject document (metadata and spec)
     * @param file         the file it came from, for error messages
     * @param tolerance    the HPA controller's tolerance (0.1 by default)
     * @return the controller
     * @throws dev.llmautoscale.simulator.config.ConfigException naming the file and field of a bad value
     */
    public static KedaController fromScaledObject(JsonNode scaledObject, String file, double tolerance) {
        JsonFields doc = JsonFields.of(scaledObject, file, "");
        String kind = doc.string("kind", "ScaledObject");
        if (!"ScaledObject".equals(kind)) {
            throw doc.error("kind", "must be ScaledObject, not \"" + kind + "\"");
        }
        JsonFields metadata = doc.optionalObject("metadata");
        String soName = metadata == null ? null : metadata.string("name", null);
        Map<String, String> annotations = metadata == null ? Map.of() : KedaDecideInput.annotations(metadata);
        JsonFields spec = doc.requiredObject("spec");
        spec.allowOnly("scaleTargetRef", "pollingInterval", "cooldownPeriod", "initialCooldownPeriod",
                "idleReplicaCount", "minReplicaCount", "maxReplicaCount", "fallback", "advanced", "triggers");
        JsonFields ref = spec.requiredObject("scaleTargetRef");
        ref.allowOnly("apiVersion", "kind", "name", "envSourceContainerName");
        String targetName = ref.requiredString("name");
        double polling = spec.optionalInt("pollingInterval", 30, 1, Integer.MAX_VALUE);
        double cooldown = spec.optionalInt("cooldownPeriod", 300, 0, Integer.MAX_VALUE);
        double initialCooldown = spec.optionalInt("initialCooldownPeriod", 0, 0, Integer.MAX_VALUE);
        int min = spec.optionalInt("minReplicaCount", 0, 0, Integer.MAX_VALUE);
        int max = spec.optionalInt("maxReplicaCount", 100, 0, Integer.MAX_VALUE);
        if (min > max) {
            throw spec.error("minReplicaCount", "must be <= maxReplicaCount (" + max + "), not " + min);
        }
        Integer idle = spec.nullableInt("idleReplicaCount", 0, Integer.MAX_VALUE);
        if (idle != null && idle >= min) {
            throw spec.error("idleReplicaCount", "must be less than minReplicaCount (" + min + "), not " + idle);
        }
        Fallback fallback = KedaDecideInput.fallback(spec.optionalObject("fallback"));

        JsonNode behaviorNode = null;
        JsonFields advanced = spec.optionalObject("advanced");
        if (advanced != null) {
            advanced.allowOnly("restoreToOriginalReplicaCount", "horizontalPodAutoscalerConfig", "scalingModifiers");
            if (advanced.has("scalingModifiers")) {
                throw advanced.error("scalingModifiers", "is not modelled by the simulator (formula and composite"
                        + " metrics); remove it to simulate the triggers one by one");
            }
            JsonFields hpaConfig = advanced.optionalObject("horizontalPodAutoscalerConfig");
            if (hpaConfig != null) {
                hpaConfig.allowOnly("name", "behavior");
                JsonFields b = hpaConfig.optionalObject("behavior");
                if (b != null) {
                    HpaSpecReader.behavior(b); // validate where the user wrote it
                    behaviorNode = b.node().deepCopy();
                }
            }
        }

        List<JsonFields> items = spec.objects("triggers", true);
        if (items.isEmpty()) {
            throw spec.error("triggers", "must list at least one trigger");
        }
        List<Trigger> triggers = new ArrayList<>();
        List<String> metricNames = new ArrayList<>();
        List<HpaSpecReader.ParsedMetric> hpaMetrics = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonFields t = items.get(i);
            t.allowOnly("type", "name", "metadata", "metricType", "authenticationRef", "useCachedMetrics");
            String type = t.requiredString("type");
            String triggerName = t.string("name", null);
            Map<String, String> meta = t.stringMap("metadata");
            boolean resource = KedaDecision.isResourceType(type);
            String metricType = resource
                    ? t.string("metricType", "Utilization", "Utilization", "AverageValue")
                    : t.string("metricType", "AverageValue", "AverageValue", "Value");
            KedaTriggers.Fields f = KedaTriggers.fields(type, meta);
            if (f == null) {
                throw t.error("metadata", "has no scaling target for trigger type \"" + type + "\"; the simulator"
                        + " looks for one of: " + String.join(", ", KedaTriggers.GENERIC_TARGETS));
            }
            double target = number(t, meta, f.target(), f.defaultTarget());
            double activation = f.activation().isEmpty() ? 0 : number(t, meta, f.activation(), 0.0);
            triggers.add(new Trigger(i, type, triggerName, metricType, target, activation, Map.copyOf(meta)));
            String metricName = resource ? type : KedaTriggers.metricName(i, type, meta);
            metricNames.add(metricName);
            hpaMetrics.add(new HpaSpecReader.ParsedMetric(hpaMetric(t, type, metricType, metricName, target),
                    Map.of("scaledobject.keda.sh/name", soName == null ? "" : soName)));
        }

        if (min == 0 && triggers.stream().allMatch(t -> KedaDecision.isResourceType(t.type()))) {
            // KEDA's admission webhook: scale to zero cannot work on cpu/memory triggers alone
            throw spec.error("minReplicaCount", "0 is not allowed when every trigger is cpu or memory (scale to zero"
                    + " needs a trigger that can see demand at zero replicas); use minReplicaCount >= 1");
        }
        if (KedaDecision.pausedScaleIn(annotations) || KedaDecision.pausedScaleOut(annotations)) {
            ObjectNode b = behaviorNode == null ? JsonNodeFactory.instance.objectNode() : (ObjectNode) behaviorNode;
            if (KedaDecision.pausedScaleIn(annotations)) {
                b.withObject("/scaleDown").put("selectPolicy", "Disabled");
            }
            if (KedaDecision.pausedScaleOut(annotations)) {
                b.withObject("/scaleUp").put("selectPolicy", "Disabled");
            }
            behaviorNode = b;
        }
        HpaBehavior behavior = behaviorNode == null ? null
                : HpaSpecReader.behavior(JsonFields.of(behaviorNode, file,
                        "spec.advanced.horizontalPodAutoscalerConfig.behavior"));
        HpaController hpa = HpaController.create(new HpaController.ScaleTarget(ref.string("apiVersion", null),
                ref.string("kind", "Deployment"), targetName), Math.max(min, 1), max, hpaMetrics, behavior, tolerance);
        return new KedaController(soName, targetName, triggers, metricNames, polling, cooldown, initialCooldown, min,
                max, idle, fallback, annotations, hpa);
    }

    private static double number(JsonFields t, Map<String, String> meta, String key, Double defaultValue) {
        String v = meta.get(key);
        if (v == null) {
            if (defaultValue == null) {
                throw t.error("metadata." + key, "is required (a number)");
            }
            return defaultValue;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException ex) {
            throw t.error("metadata." + key, "must be a number, not \"" + v + "\"");
        }
    }

    private static Metric hpaMetric(JsonFields t, String type, String metricType, String metricName, double target) {
        if (KedaDecision.isResourceType(type)) {
            if ("Utilization".equals(metricType)) {
                if (target != Math.rint(target) || target < 1) {
                    throw t.error("metadata.value", "must be an integer percent > 0 for metricType Utilization");
                }
                return new Metric(SourceType.RESOURCE, type, TargetType.UTILIZATION, (long) target);
            }
            return new Metric(SourceType.RESOURCE, type, TargetType.AVERAGE_VALUE, positiveMilli(t, target));
        }
        return new Metric(SourceType.EXTERNAL, metricName,
                "Value".equals(metricType) ? TargetType.VALUE : TargetType.AVERAGE_VALUE, positiveMilli(t, target));
    }

    private static long positiveMilli(JsonFields t, double target) {
        long milli = Quantity.kedaMilli(target);
        if (milli <= 0) {
            throw t.error("metadata", "the scaling target must be > 0, not " + target);
        }
        return milli;
    }

    /** @return metadata.name, or null */
    public String name() {
        return name;
    }

    /** @return spec.scaleTargetRef.name */
    public String scaleTargetName() {
        return scaleTargetName;
    }

    /** @return the triggers, in spec order */
    public List<Trigger> triggers() {
        return triggers;
    }

    /** @return the External metric name of each trigger ({@code s<index>-<metric>}; cpu/memory: the resource) */
    public List<String> metricNames() {
        return metricNames;
    }

    /** @return spec.pollingInterval in seconds (default 30) */
    public double pollingIntervalSeconds() {
        return pollingInterval;
    }

    /** @return spec.cooldownPeriod in seconds (default 300) */
    public double cooldownPeriodSeconds() {
        return cooldownPeriod;
    }

    /** @return spec.minReplicaCount (default 0) */
    public int minReplicaCount() {
        return minReplicaCount;
    }

    /** @return spec.maxReplicaCount (default 100) */
    public int maxReplicaCount() {
        return maxReplicaCount;
    }

    /** @return spec.idleReplicaCount, or null */
    public Integer idleReplicaCount() {
        return idleReplicaCount;
    }

    /** @return spec.fallback, or null */
    public Fallback fallback() {
        return fallback;
    }

    /** @return the HPA KEDA created for this ScaledObject */
    public HpaController hpa() {
        return hpa;
    }

    /** @return status.lastActiveTime, or null while never set */
    public Double lastActiveTime() {
        return lastActiveTime;
    }

    /** @return each trigger's status.health numberOfFailures (a copy) */
    public List<Integer> numberOfFailures() {
        List<Integer> out = new ArrayList<>(numberOfFailures.length);
        for (int n : numberOfFailures) {
            out.add(n);
        }
        return out;
    }

    /**
     * One KEDA polling cycle.
     *
     * @param now             seconds of simulated time
     * @param currentReplicas the target's spec.replicas
     * @param readyReplicas   pods Running and Ready
     * @param readings        one reading per trigger, in {@link #triggers()} order
     * @return the count KEDA sets (or null: left to the HPA), and the Active condition
     */
    public PollResult poll(double now, int currentReplicas, int readyReplicas, List<Reading> readings) {
        checkReadings(readings);
        List<TriggerState> states = new ArrayList<>(triggers.size());
        for (int i = 0; i < triggers.size(); i++) {
            Trigger t = triggers.get(i);
            Reading r = readings.get(i);
            boolean error = r.error() || (!KedaDecision.isResourceType(t.type()) && r.value() == null);
            states.add(new TriggerState(t.type(), t.metricType(), error ? null : r.value(), t.activationTarget(), null,
                    error, numberOfFailures[i]));
        }
        KedaDecision.Outcome o = KedaDecision.decide(new KedaDecision.Input(now, currentReplicas, readyReplicas,
                minReplicaCount, idleReplicaCount, cooldownPeriod, initialCooldownPeriod, 0, lastActiveTime, active,
                annotations, fallback, states));
        for (int i = 0; i < numberOfFailures.length; i++) {
            numberOfFailures[i] = o.numberOfFailures().get(i);
        }
        lastActiveTime = o.lastActiveTime();
        active = o.active();
        return new PollResult(o.replicas(), o.active(), o.fallbackReplicas());
    }

    /**
     * One sync of the HPA that KEDA created; a no-op returning currentReplicas while currentReplicas is 0.
     *
     * <p>Each External metric read goes through KEDA's metrics server: a value is served with milli precision
     * ({@code %.3f}; negative, NaN and infinite values as 0); an error counts as a failure (with a valid fallback)
     * and, past the failure threshold, is replaced by the fallback metric (AverageValue: target × R; Value:
     * target × R / ready pods, both truncated to milli), so that the HPA computes R; otherwise the metric fails.
     * A successful read resets the count. While paused KEDA has deleted the HPA: nothing happens.
     *
     * @param now             seconds of simulated time
     * @param currentReplicas the target's spec.replicas
     * @param pods            the pods of the target (for Value targets' ready count and cpu/memory triggers)
     * @param readings        one reading per trigger, in {@link #triggers()} order (the metrics server queries the
     *                        scalers at every HPA read)
     * @return the HPA's sync result
     */
    public HpaController.SyncResult hpaSync(double now, int currentReplicas, List<HpaPod> pods, List<Reading> readings) {
        checkReadings(readings);
        if (KedaDecision.paused(annotations)) {
            return new HpaController.SyncResult(currentReplicas, currentReplicas, "Paused");
        }
        List<ReplicaCalculator.Pod> calcPods = new ArrayList<>(pods.size());
        int ready = 0;
        for (HpaPod p : pods) {
            calcPods.add(ReplicaCalculator.Pod.of(p));
            if ("Running".equals(p.phase()) && p.ready()) {
                ready++;
            }
        }
        if (currentReplicas == 0) {
            // ScalingDisabled: the HPA does not read the metrics, so no failure is counted.
            return hpa.syncMilli(now, currentReplicas, calcPods, Map.of());
        }
        boolean fallbackValid = fallback != null && fallback.valid();
        Map<String, Long> values = new LinkedHashMap<>();
        for (int i = 0; i < triggers.size(); i++) {
            Trigger t = triggers.get(i);
            if (KedaDecision.isResourceType(t.type())) {
                continue;
            }
            Reading r = readings.get(i);
            boolean error = r.error() || r.value() == null;
            if (!error) {
                values.put(metricNames.get(i), Quantity.kedaMilli(r.value()));
                if (fallbackValid) {
                    numberOfFailures[i] = 0;
                }
                continue;
            }
            if (!fallbackValid) {
                continue;
            }
            numberOfFailures[i]++;
            if (numberOfFailures[i] > fallback.failureThreshold()) {
                Long fake = fallbackMetric(t, fallback.count(currentReplicas), ready);
                if (fake != null) {
                    values.put(metricNames.get(i), fake);
                }
            }
        }
        return hpa.syncMilli(now, currentReplicas, calcPods, values);
    }

    /** {@code doFallback}: the fake metric value in milli-units, or null when it cannot be computed. */
    private static Long fallbackMetric(Trigger t, int replicasTarget, int readyReplicas) {
        double replicas = replicasTarget;
        if ("Value".equals(t.metricType())) {
            if (readyReplicas == 0) {
                return null;
            }
            replicas /= readyReplicas;
        }
        double normalisation = Quantity.kedaMilli(t.target()) / 1000.0;
        return (long) (normalisation * 1000 * replicas);
    }

    private void checkReadings(List<Reading> readings) {
        if (readings.size() != triggers.size()) {
            throw new IllegalArgumentException("expected " + triggers.size() + " readings (one per trigger), got "
                    + readings.size());
        }
    }

    /**
     * A trigger as written in the ScaledObject.
     *
     * @param index            position in spec.triggers
     * @param type             trigger type (prometheus, redis, cpu, memory, metrics-api, ...)
     * @param name             trigger name, or null
     * @param metricType       AverageValue or Value (cpu/memory: Utilization or AverageValue)
     * @param target           the scaling target (threshold, listLength, targetValue, value ...)
     * @param activationTarget the activation threshold (default 0)
     * @param metadata         the trigger's metadata, string to string (query, serverAddress, listName, ...)
     */
    public record Trigger(int index, String type, String name, String metricType, double target,
                          double activationTarget, Map<String, String> metadata) {
    }

    /**
     * What a trigger's scaler returned at one read.
     *
     * @param value the value (null with error)
     * @param error the scaler failed (for example the query returned nothing and ignoreNullValues is false)
     */
    public record Reading(Double value, boolean error) {
    }

    /**
     * The outcome of one polling cycle.
     *
     * @param replicas         what KEDA sets or holds on the target, or null when it leaves the count to the HPA
     * @param active           the Active condition after the cycle
     * @param fallbackReplicas the fallback count when a trigger is in fallback, else null
     */
    public record PollResult(Integer replicas, boolean active, Integer fallbackReplicas) {
    }
}
