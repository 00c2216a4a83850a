package dev.llmautoscale.simulator.decision;

/**
 * The HPA controller's tolerance around a usage ratio of 1 ({@code Tolerances.isWithin} of Kubernetes 1.33+): no
 * change while {@code 1 − scaleDown ≤ ratio ≤ 1 + scaleUp}, both bounds inclusive, on float64.
 *
 * @param scaleDown tolerance below 1
 * @param scaleUp   tolerance above 1
 */
public record Tolerances(double scaleDown, double scaleUp) {

    /** The controller's default, {@code --horizontal-pod-autoscaler-tolerance=0.1}, both directions. */
    public static final Tolerances DEFAULT = of(0.1);

    /**
     * @param tolerance the same tolerance for both directions
     * @return the tolerances
     */
    public static Tolerances of(double tolerance) {
        return new Tolerances(tolerance, tolerance);
    }

    /**
     * @param usageRatio a metric's usage ratio
     * @return whether the controller leaves the replica count alone for it
     */
    public boolean isWithin(double usageRatio) {
        return (1.0 - scaleDown) <= usageRatio && usageRatio <= (1.0 + scaleUp);
    }
}
