package dev.llmautoscale.simulator.advisor.recommend;

/**
 * One point of the search: the knobs that matter for an LLM fleet.
 *
 * @param metric          the scaling signal: an HPA Pods metric served by the adapter rules (HPA), or a series
 *                        summed over the pods (KEDA prometheus trigger, AverageValue)
 * @param target          its per-replica target
 * @param minReplicas     minReplicas / minReplicaCount
 * @param upWindow        scaleUp.stabilizationWindowSeconds
 * @param upPods          scaleUp Pods policy value (with {@code upPercent}, selectPolicy Max)
 * @param upPercent       scaleUp Percent policy value
 * @param upPeriod        both scale-up policies' periodSeconds
 * @param downWindow      scaleDown.stabilizationWindowSeconds
 * @param downPercent     scaleDown Percent policy value
 * @param downPeriod      scaleDown policy periodSeconds
 * @param pollingInterval KEDA pollingInterval (ignored for an HPA)
 * @param cooldownPeriod  KEDA cooldownPeriod (ignored for an HPA)
 * @param maxReplicas     maxReplicas / maxReplicaCount
 */
public record Knobs(String metric, double target, int minReplicas, int upWindow, int upPods, int upPercent,
                    int upPeriod, int downWindow, int downPercent, int downPeriod, int pollingInterval,
                    int cooldownPeriod, int maxReplicas) {
}
