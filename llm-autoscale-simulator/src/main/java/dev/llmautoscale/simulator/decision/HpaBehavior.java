package dev.llmautoscale.simulator.decision;

import java.util.List;

/**
 * An {@code autoscaling/v2} HorizontalPodAutoscaler {@code spec.behavior} with every field filled, as the API server's
 * defaulting ({@code GenerateHPAScaleUpRules} / {@code GenerateHPAScaleDownRules}) and the controller's
 * {@code maybeInitScaleDownStabilizationWindow} leave it.
 *
 * @param scaleUp   the scale-up rules
 * @param scaleDown the scale-down rules
 */
public record HpaBehavior(Rules scaleUp, Rules scaleDown) {

    /** Default scale-up: no stabilization, Max of 4 pods per 15 s and 100% per 15 s. */
    public static final Rules DEFAULT_SCALE_UP = new Rules(0, SelectPolicy.MAX,
            List.of(new Policy(PolicyType.PODS, 4, 15), new Policy(PolicyType.PERCENT, 100, 15)), null);

    /** Default scale-down: 300 s stabilization (--horizontal-pod-autoscaler-downscale-stabilization), 100% per 15 s. */
    public static final Rules DEFAULT_SCALE_DOWN = new Rules(300, SelectPolicy.MAX,
            List.of(new Policy(PolicyType.PERCENT, 100, 15)), null);

    /** Both directions at their defaults (an HPA whose behavior is {@code {}}). */
    public static final HpaBehavior DEFAULT = new HpaBehavior(DEFAULT_SCALE_UP, DEFAULT_SCALE_DOWN);

    /** {@code selectPolicy}. */
    public enum SelectPolicy {
        /** the policy allowing the largest change (default) */
        MAX("Max"),
        /** the policy allowing the smallest change */
        MIN("Min"),
        /** no scaling in this direction */
        DISABLED("Disabled");

        private final String apiName;

        SelectPolicy(String apiName) {
            this.apiName = apiName;
        }

        /** @return the name as written in the HPA */
        public String apiName() {
            return apiName;
        }
    }

    /** {@code policies[].type}. */
    public enum PolicyType {
        /** an absolute number of pods per period */
        PODS("Pods"),
        /** a percent of the replicas at the start of the period */
        PERCENT("Percent");

        private final String apiName;

        PolicyType(String apiName) {
            this.apiName = apiName;
        }

        /** @return the name as written in the HPA */
        public String apiName() {
            return apiName;
        }
    }

    /**
     * One scaling policy.
     *
     * @param type          Pods or Percent
     * @param value         pods or percent, > 0
     * @param periodSeconds the period, 1..1800
     */
    public record Policy(PolicyType type, int value, int periodSeconds) {
    }

    /**
     * The rules of one direction ({@code HPAScalingRules}).
     *
     * @param stabilizationWindowSeconds 0..3600
     * @param selectPolicy               Max, Min or Disabled
     * @param policies                   at least one
     * @param tolerance                  the per-direction tolerance (Kubernetes 1.33+), or null for the controller's
     */
    public record Rules(int stabilizationWindowSeconds, SelectPolicy selectPolicy, List<Policy> policies,
                        Double tolerance) {

        /** Copies the list. */
        public Rules {
            policies = List.copyOf(policies);
        }

        /** @return the longest policy period (the age after which a scale event can no longer matter) */
        public int longestPolicyPeriod() {
            int longest = 0;
            for (Policy p : policies) {
                longest = Math.max(longest, p.periodSeconds());
            }
            return longest;
        }
    }
}
