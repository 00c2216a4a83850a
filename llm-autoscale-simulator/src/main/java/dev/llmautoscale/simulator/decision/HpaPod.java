package dev.llmautoscale.simulator.decision;

import java.util.Map;

/**
 * One pod that the HPA's selector matches, as the replica calculation sees it at a sync (the {@code pods} entries
 * of {@code ../shared/specs/hpa-replicas.md}, same meaning and units).
 *
 * @param name                      unique pod name
 * @param phase                     Running, Pending, Succeeded, Failed or Unknown
 * @param ready                     the PodReady condition
 * @param deleted                   the pod has a deletionTimestamp
 * @param startSecondsAgo           seconds since the pod started
 * @param readyTransitionSecondsAgo seconds since PodReady last changed
 * @param metrics                   samples: custom metric name (Pods) or resource name (Resource) to value, base units;
 *                                  a metric absent from the map is a missing sample
 * @param metricSecondsAgo          age of the pod's cpu sample
 * @param metricWindowSeconds       window of the pod's cpu sample
 * @param requests                  resource name to the sum of the pod's container requests (base units)
 */
public record HpaPod(String name, String phase, boolean ready, boolean deleted, double startSecondsAgo,
                     double readyTransitionSecondsAgo, Map<String, Double> metrics, double metricSecondsAgo,
                     double metricWindowSeconds, Map<String, Double> requests) {
}
