package dev.llmautoscale.simulator.decision;

import java.util.List;

/**
 * {@code normalizeDesiredReplicasWithBehaviors} of the HPA controller ({@code horizontal.go}), pure: stabilization
 * over the recorded recommendations plus the current one, the scale-up/scale-down policies over their periods counted
 * from the replicas at the start of each period, selectPolicy, minReplicas/maxReplicas. Also the older
 * {@code normalizeDesiredReplicas} that the controller runs for an HPA without {@code spec.behavior}. The semantics
 * are those of {@code ../shared/specs/hpa-decide.md}.
 */
public final class BehaviorDecision {

    /** The stabilization window of the controller's legacy path (--horizontal-pod-autoscaler-downscale-stabilization). */
    public static final int LEGACY_DOWNSCALE_STABILIZATION_SECONDS = 300;

    private BehaviorDecision() {
    }

    /**
     * An earlier raw recommendation.
     *
     * @param t        when, seconds
     * @param replicas the recommendation from the metrics
     */
    public record Recommendation(double t, int replicas) {
    }

    /**
     * An earlier scale event.
     *
     * @param t      when, seconds
     * @param change pods added (scale-up events) or removed (scale-down events), > 0
     */
    public record ScaleEvent(double t, int change) {
    }

    /**
     * A decision.
     *
     * @param replicas    what the controller sets
     * @param reason      DesiredWithinRange, ScaleUpStabilized, ScaleDownStabilized, ScaleUpLimit, ScaleDownLimit,
     *                    TooFewReplicas or TooManyReplicas
     * @param stabilized  the recommendation after stabilization, before the policies
     */
    public record Decision(int replicas, String reason, int stabilized) {
    }

    /**
     * One behavior decision as {@code hpa-decide} defines it.
     *
     * <p>When currentReplicas is outside [minReplicas, maxReplicas] the controller does not run the behavior at all
     * ({@code reconcileAutoscaler}): it sets maxReplicas (TooManyReplicas) or minReplicas (TooFewReplicas).
     *
     * @param now             seconds
     * @param minReplicas     spec.minReplicas
     * @param maxReplicas     spec.maxReplicas
     * @param currentReplicas the target's spec.replicas
     * @param desiredReplicas the recommendation from the metrics
     * @param behavior        the filled behavior
     * @param recommendations earlier raw recommendations (not including this one), any order
     * @param scaleUpEvents   earlier scale-ups
     * @param scaleDownEvents earlier scale-downs
     * @return the decision
     */
    public static Decision decide(double now, int minReplicas, int maxReplicas, int currentReplicas,
                                  int desiredReplicas, HpaBehavior behavior, List<Recommendation> recommendations,
                                  List<ScaleEvent> scaleUpEvents, List<ScaleEvent> scaleDownEvents) {
        if (currentReplicas > maxReplicas) {
            return new Decision(maxReplicas, "TooManyReplicas", desiredReplicas);
        }
        if (currentReplicas < minReplicas) {
            return new Decision(minReplicas, "TooFewReplicas", desiredReplicas);
        }
        int stabilized = stabilize(now, currentReplicas, desiredReplicas, behavior, recommendations);
        String stabilizedReason = desiredReplicas >= currentReplicas ? "ScaleUpStabilized" : "ScaleDownStabilized";
        if (stabilized > currentReplicas) {
            int limit = scaleUpLimit(now, currentReplicas, scaleUpEvents, scaleDownEvents, behavior.scaleUp());
            if (limit < currentReplicas) {
                limit = currentReplicas;
            }
            int maximumAllowed = maxReplicas;
            String reason;
            if (maximumAllowed > limit) {
                maximumAllowed = limit;
                reason = "ScaleUpLimit";
            } else {
                reason = "TooManyReplicas";
            }
            if (stabilized > maximumAllowed) {
                return new Decision(maximumAllowed, reason, stabilized);
            }
        } else if (stabilized < currentReplicas) {
            int limit = scaleDownLimit(now, currentReplicas, scaleUpEvents, scaleDownEvents, behavior.scaleDown());
            if (limit > currentReplicas) {
                limit = currentReplicas;
            }
            int minimumAllowed = minReplicas;
            String reason;
            if (minimumAllowed < limit) {
                minimumAllowed = limit;
                reason = "ScaleDownLimit";
            } else {
                reason = "TooFewReplicas";
            }
            if (stabilized < minimumAllowed) {
                return new Decision(minimumAllowed, reason, stabilized);
            }
        }
        return new Decision(stabilized, stabilized != desiredReplicas ? stabilizedReason : "DesiredWithinRange",
                stabilized);
    }

    /**
     * {@code stabilizeRecommendationWithBehaviors}: the current count brought within [min of the recommendations in
     * the scale-up window, max of those in the scale-down window], the current recommendation included. A
     * recommendation is in a window when it is strictly later than {@code now − window}.
     *
     * @param now             seconds
     * @param currentReplicas the target's spec.replicas
     * @param desiredReplicas the current recommendation
     * @param behavior        the behavior
     * @param recommendations earlier recommendations
     * @return the stabilized recommendation
     */
    public static int stabilize(double now, int currentReplicas, int desiredReplicas, HpaBehavior behavior,
                                List<Recommendation> recommendations) {
        double upCutoff = now - behavior.scaleUp().stabilizationWindowSeconds();
        double downCutoff = now - behavior.scaleDown().stabilizationWindowSeconds();
        int up = desiredReplicas;
        int down = desiredReplicas;
        for (Recommendation rec : recommendations) {
            if (rec.t() > upCutoff) {
                up = Math.min(rec.replicas(), up);
            }
            if (rec.t() > downCutoff) {
                down = Math.max(rec.replicas(), down);
            }
        }
        int recommendation = currentReplicas;
        if (recommendation < up) {
            recommendation = up;
        }
        if (recommendation > down) {
            recommendation = down;
        }
        return recommendation;
    }

    /** {@code getReplicasChangePerPeriod}: the changes strictly later than {@code now − period}. */
    static int changeInPeriod(double now, int periodSeconds, List<ScaleEvent> events) {
        double cutoff = now - periodSeconds;
        int replicas = 0;
        for (ScaleEvent e : events) {
            if (e.t() > cutoff) {
                replicas += e.change();
            }
        }
        return replicas;
    }

    /**
     * {@code calculateScaleUpLimitWithScalingRules}.
     *
     * @param now             seconds
     * @param currentReplicas the target's spec.replicas
     * @param up              earlier scale-ups
     * @param down            earlier scale-downs
     * @param rules           the scale-up rules
     * @return the most replicas the policies allow now
     */
    public static int scaleUpLimit(double now, int currentReplicas, List<ScaleEvent> up, List<ScaleEvent> down,
                                   HpaBehavior.Rules rules) {
        if (rules.selectPolicy() == HpaBehavior.SelectPolicy.DISABLED) {
            return currentReplicas;
        }
        boolean min = rules.selectPolicy() == HpaBehavior.SelectPolicy.MIN;
        int result = min ? Integer.MAX_VALUE : Integer.MIN_VALUE;
        for (HpaBehavior.Policy policy : rules.policies()) {
            int periodStart = currentReplicas - changeInPeriod(now, policy.periodSeconds(), up)
                    + changeInPeriod(now, policy.periodSeconds(), down);
            int proposed = policy.type() == HpaBehavior.PolicyType.PODS
                    ? periodStart + policy.value()
                    // rounded up so that a small percent still adds a pod
                    : toInt32(Math.ceil((double) periodStart * (1 + (double) policy.value() / 100)));
            result = min ? Math.min(result, proposed) : Math.max(result, proposed);
        }
        return result;
    }

    /**
     * {@code calculateScaleDownLimitWithBehaviors}.
     *
     * @param now             seconds
     * @param currentReplicas the target's spec.replicas
     * @param up              earlier scale-ups
     * @param down            earlier scale-downs
     * @param rules           the scale-down rules
     * @return the fewest replicas the policies allow now
     */
    public static int scaleDownLimit(double now, int currentReplicas, List<ScaleEvent> up, List<ScaleEvent> down,
                                     HpaBehavior.Rules rules) {
        if (rules.selectPolicy() == HpaBehavior.SelectPolicy.DISABLED) {
            return currentReplicas;
        }
        boolean min = rules.selectPolicy() == HpaBehavior.SelectPolicy.MIN;
        int result = min ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        for (HpaBehavior.Policy policy : rules.policies()) {
            int periodStart = currentReplicas - changeInPeriod(now, policy.periodSeconds(), up)
                    + changeInPeriod(now, policy.periodSeconds(), down);
            int proposed = policy.type() == HpaBehavior.PolicyType.PODS
                    ? periodStart - policy.value()
                    : toInt32((double) periodStart * (1 - (double) policy.value() / 100));
            result = min ? Math.max(result, proposed) : Math.min(result, proposed);
        }
        return result;
    }

    /**
     * {@code normalizeDesiredReplicas}: the controller's path for an HPA without {@code spec.behavior}. The max of
     * the recommendations not older than 300 s, then at most {@code max(2 × current, 4)} replicas, then min/max.
     *
     * @param now             seconds
     * @param minReplicas     spec.minReplicas
     * @param maxReplicas     spec.maxReplicas
     * @param currentReplicas the target's spec.replicas
     * @param desiredReplicas the recommendation from the metrics
     * @param recommendations earlier recommendations
     * @return the decision
     */
    public static Decision decideLegacy(double now, int minReplicas, int maxReplicas, int currentReplicas,
                                        int desiredReplicas, List<Recommendation> recommendations) {
        if (currentReplicas > maxReplicas) {
            return new Decision(maxReplicas, "TooManyReplicas", desiredReplicas);
        }
        if (currentReplicas < minReplicas) {
            return new Decision(minReplicas, "TooFewReplicas", desiredReplicas);
        }
        double cutoff = now - LEGACY_DOWNSCALE_STABILIZATION_SECONDS;
        int stabilized = desiredReplicas;
        for (Recommendation rec : recommendations) {
            // "if rec.timestamp.Before(cutoff) { old } else if rec.recommendation > max { ... }"
            if (!(rec.t() < cutoff) && rec.replicas() > stabilized) {
                stabilized = rec.replicas();
            }
        }
        int scaleUpLimit = toInt32(Math.max(2.0 * currentReplicas, 4.0));
        int maximumAllowed;
        String reason;
        if (maxReplicas > scaleUpLimit) {
            maximumAllowed = scaleUpLimit;
            reason = "ScaleUpLimit";
        } else {
            maximumAllowed = maxReplicas;
            reason = "TooManyReplicas";
        }
        if (stabilized < minReplicas) {
            return new Decision(minReplicas, "TooFewReplicas", stabilized);
        }
        if (stabilized > maximumAllowed) {
            return new Decision(maximumAllowed, reason, stabilized);
        }
        return new Decision(stabilized, stabilized != desiredReplicas ? "ScaleDownStabilized" : "DesiredWithinRange",
                stabilized);
    }

    /** Go's {@code int32(float64)} for the values that occur: truncation toward zero, saturated. */
    private static int toInt32(double v) {
        return (int) v;
    }
}
