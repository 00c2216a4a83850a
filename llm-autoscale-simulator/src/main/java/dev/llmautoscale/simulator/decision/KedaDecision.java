package dev.llmautoscale.simulator.decision;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What KEDA itself decides for one ScaledObject at one polling cycle, pure ({@code ../shared/specs/keda-decide.md};
 * kedacore/keda {@code pkg/scaling/executor/scale_scaledobjects.go} {@code RequestScale},
 * {@code pkg/scaling/scale_handler.go} {@code getScaledObjectState}, {@code pkg/fallback/fallback.go}): pause
 * annotations, trigger activity (strict {@code value > activationTarget}), errors and fallback, the executor with
 * idle/min replica counts, and the cooldown before scaling to zero or idle (strict).
 */
public final class KedaDecision {

    /** {@code autoscaling.keda.sh/paused-replicas} */
    public static final String PAUSED_REPLICAS = "autoscaling.keda.sh/paused-replicas";
    /** {@code autoscaling.keda.sh/paused} */
    public static final String PAUSED = "autoscaling.keda.sh/paused";
    /** {@code autoscaling.keda.sh/paused-scale-in} */
    public static final String PAUSED_SCALE_IN = "autoscaling.keda.sh/paused-scale-in";
    /** {@code autoscaling.keda.sh/paused-scale-out} */
    public static final String PAUSED_SCALE_OUT = "autoscaling.keda.sh/paused-scale-out";
    /** {@code autoscaling.keda.sh/force-activation} */
    public static final String FORCE_ACTIVATION = "autoscaling.keda.sh/force-activation";

    /** The fallback behaviors KEDA accepts. */
    public static final List<String> FALLBACK_BEHAVIORS =
            List.of("static", "currentReplicas", "currentReplicasIfHigher", "currentReplicasIfLower");

    private KedaDecision() {
    }

    /**
     * {@code spec.fallback}.
     *
     * @param failureThreshold consecutive failures before fallback (the fallback starts at threshold + 1)
     * @param replicas         the fallback replica count
     * @param behavior         static, currentReplicas, currentReplicasIfHigher or currentReplicasIfLower
     */
    public record Fallback(int failureThreshold, int replicas, String behavior) {

        /** @return {@code HasValidFallback}: both numbers >= 0 */
        public boolean valid() {
            return failureThreshold >= 0 && replicas >= 0;
        }

        /**
         * @param currentReplicas the target's spec.replicas
         * @return the count the fallback steers to ({@code doFallback})
         */
        public int count(int currentReplicas) {
            return switch (behavior) {
                case "currentReplicas" -> currentReplicas;
                case "currentReplicasIfHigher" -> Math.max(currentReplicas, replicas);
                case "currentReplicasIfLower" -> Math.min(currentReplicas, replicas);
                default -> replicas;
            };
        }
    }

    /**
     * One trigger at one cycle.
     *
     * @param type             trigger type; cpu and memory are resource triggers
     * @param metricType       AverageValue or Value
     * @param value            what the scaler returned (null with an error or a given isActive)
     * @param activationTarget the activation threshold
     * @param isActive         the scaler's own activity verdict, or null for {@code value > activationTarget}
     * @param error            the scaler returned an error this cycle
     * @param numberOfFailures status.health[metric].numberOfFailures before this cycle
     */
    public record TriggerState(String type, String metricType, Double value, double activationTarget,
                               Boolean isActive, boolean error, int numberOfFailures) {

        /** @return whether this is a cpu or memory trigger (an HPA Resource metric, never active itself) */
        public boolean resource() {
            return isResourceType(type);
        }
    }

    /**
     * @param type a trigger type
     * @return whether it is cpu or memory
     */
    public static boolean isResourceType(String type) {
        return "cpu".equals(type) || "memory".equals(type);
    }

    /**
     * One cycle's input.
     *
     * @param now                   seconds
     * @param currentReplicas       the target's spec.replicas
     * @param readyReplicas         pods Running and Ready
     * @param minReplicaCount       spec.minReplicaCount
     * @param idleReplicaCount      spec.idleReplicaCount, or null
     * @param cooldownPeriod        spec.cooldownPeriod, seconds
     * @param initialCooldownPeriod spec.initialCooldownPeriod, seconds
     * @param creationTimestamp     metadata.creationTimestamp, seconds
     * @param lastActiveTime        status.lastActiveTime, or null when never set
     * @param previousActive        the Active condition before this cycle
     * @param annotations           metadata.annotations
     * @param fallback              spec.fallback, or null
     * @param triggers              the triggers
     */
    public record Input(double now, int currentReplicas, int readyReplicas, int minReplicaCount,
                        Integer idleReplicaCount, double cooldownPeriod, double initialCooldownPeriod,
                        double creationTimestamp, Double lastActiveTime, boolean previousActive,
                        Map<String, String> annotations, Fallback fallback, List<TriggerState> triggers) {
    }

    /** What became of one trigger at a cycle. */
    public enum TriggerOutcome {
        /** active */
        ACTIVE,
        /** not active */
        INACTIVE,
        /** in error (no fallback, or below the threshold) */
        ERROR,
        /** in fallback: counts as active */
        FALLBACK,
        /** cpu or memory: left to the HPA */
        RESOURCE
    }

    /**
     * One cycle's outcome.
     *
     * @param replicas         what KEDA sets or holds on the target, or null when the count is left to the HPA
     * @param active           the Active condition after the cycle
     * @param fallbackReplicas the fallback count when a trigger is in fallback, else null
     * @param lastActiveTime   status.lastActiveTime after the cycle
     * @param numberOfFailures each trigger's failure count after the cycle
     * @param triggers         each trigger's outcome (empty while paused)
     * @param paused           whether the ScaledObject is paused
     */
    public record Outcome(Integer replicas, boolean active, Integer fallbackReplicas, Double lastActiveTime,
                          List<Integer> numberOfFailures, List<TriggerOutcome> triggers, boolean paused) {
    }

    /**
     * Go's {@code strconv.ParseBool}, with KEDA's reading of anything else as true.
     *
     * @param value an annotation value
     * @return the boolean KEDA takes
     */
    public static boolean annotationTrue(String value) {
        return switch (value) {
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> true;
        };
    }

    private static boolean flag(Map<String, String> annotations, String key) {
        String v = annotations.get(key);
        return v != null && annotationTrue(v);
    }

    /**
     * @param annotations metadata.annotations
     * @return whether KEDA pauses the ScaledObject ({@code NeedToBePausedByAnnotation})
     */
    public static boolean paused(Map<String, String> annotations) {
        return annotations.containsKey(PAUSED_REPLICAS) || flag(annotations, PAUSED);
    }

    /**
     * @param annotations metadata.annotations
     * @return whether scale-in is paused
     */
    public static boolean pausedScaleIn(Map<String, String> annotations) {
        return flag(annotations, PAUSED_SCALE_IN);
    }

    /**
     * @param annotations metadata.annotations
     * @return whether scale-out is paused
     */
    public static boolean pausedScaleOut(Map<String, String> annotations) {
        return flag(annotations, PAUSED_SCALE_OUT);
    }

    /**
     * The decision of one polling cycle.
     *
     * @param in the cycle's input; a {@code paused-replicas} annotation must hold an integer (the readers check it)
     * @return the outcome
     */
    public static Outcome decide(Input in) {
        List<Integer> failures = new ArrayList<>();
        for (TriggerState t : in.triggers()) {
            failures.add(t.numberOfFailures());
        }
        Map<String, String> ann = in.annotations();
        if (paused(ann)) {
            String n = ann.get(PAUSED_REPLICAS);
            Integer replicas = n != null ? Integer.valueOf(n.trim()) : in.currentReplicas();
            return new Outcome(replicas, in.previousActive(), null, in.lastActiveTime(), List.copyOf(failures),
                    List.of(), true);
        }

        Fallback fb = in.fallback();
        boolean fallbackValid = fb != null && fb.valid();
        List<TriggerOutcome> outcomes = new ArrayList<>();
        boolean isActive = false;
        boolean isError = false;
        boolean anyFallback = false;
        int resourceTriggers = 0;
        for (int i = 0; i < in.triggers().size(); i++) {
            TriggerState t = in.triggers().get(i);
            TriggerOutcome o;
            if (t.resource()) {
                resourceTriggers++;
                o = TriggerOutcome.RESOURCE;
            } else if (!t.error()) {
                boolean active = t.isActive() != null
                        ? t.isActive()
                        : t.value() != null && t.value() > t.activationTarget();
                o = active ? TriggerOutcome.ACTIVE : TriggerOutcome.INACTIVE;
                if (fallbackValid) {
                    failures.set(i, 0);
                }
            } else if (!fallbackValid) {
                o = TriggerOutcome.ERROR;
            } else {
                int f = t.numberOfFailures() + 1;
                failures.set(i, f);
                if (f > fb.failureThreshold()) {
                    o = "Value".equals(t.metricType()) && in.readyReplicas() == 0
                            ? TriggerOutcome.ERROR : TriggerOutcome.FALLBACK;
                } else {
                    o = TriggerOutcome.ERROR;
                }
            }
            outcomes.add(o);
            isActive |= o == TriggerOutcome.ACTIVE || o == TriggerOutcome.FALLBACK;
            isError |= o == TriggerOutcome.ERROR;
            anyFallback |= o == TriggerOutcome.FALLBACK;
        }
        if (in.triggers().size() <= resourceTriggers && !isError) {
            isActive = true;
        }

        int current = in.currentReplicas();
        int min = in.minReplicaCount();
        Integer idle = in.idleReplicaCount();
        Integer replicas = null;
        boolean active;
        Double lastActive = in.lastActiveTime();
        if (isActive || flag(ann, FORCE_ACTIVATION)) {
            active = true;
            if ((idle != null && current < min) || current == 0) {
                if (!pausedScaleOut(ann)) {
                    replicas = min > 0 ? min : 1;
                    lastActive = in.now();
                }
            } else if (!isError) {
                lastActive = in.now();
            }
        } else {
            active = false;
            if (isError && fb != null && fb.replicas() != 0) {
                replicas = null;
            } else if (isError && fb == null) {
                replicas = null;
            } else if ((idle != null && current > idle) || (current > 0 && min == 0)) {
                if (!pausedScaleIn(ann) && cooldownOver(in)) {
                    replicas = idle != null ? idle : min;
                }
            } else if (idle == null && current < min) {
                replicas = min;
            }
        }
        Integer fallbackReplicas = anyFallback ? fb.count(current) : null;
        return new Outcome(replicas, active, fallbackReplicas, lastActive, List.copyOf(failures),
                List.copyOf(outcomes), false);
    }

    /**
     * The cooldown before scaling to zero or idle is over ({@code time.Before}, strict).
     *
     * @param in the cycle's input
     * @return whether KEDA may scale in now
     */
    public static boolean cooldownOver(Input in) {
        if (in.lastActiveTime() == null) {
            return in.creationTimestamp() + in.initialCooldownPeriod() < in.now();
        }
        return in.lastActiveTime() + in.cooldownPeriod() < in.now();
    }
}
