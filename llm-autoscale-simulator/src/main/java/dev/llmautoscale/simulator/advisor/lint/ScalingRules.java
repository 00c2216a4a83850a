package dev.llmautoscale.simulator.advisor.lint;

import dev.llmautoscale.simulator.decision.HpaBehavior;
import dev.llmautoscale.simulator.decision.KedaController;
import dev.llmautoscale.simulator.promql.Expr;
import dev.llmautoscale.simulator.promql.PromqlParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Rules on how the autoscaler moves: scale-up and scale-down against the cold start, scale-from-zero that cannot
 * activate, and a maximum the node pool cannot place.
 */
final class ScalingRules {

    private ScalingRules() {
    }

    static void check(LintTarget t, List<Finding> out) {
        coldStart(t, out);
        nodePool(t, out);
        if (t.keda() != null) {
            fromZero(t, out);
        }
    }

    /**
     * The period over which the policies bound a scale-up: with selectPolicy Max the most permissive policy, that
     * is the shortest period, decides; with Min the longest.
     */
    static int brakePeriod(HpaBehavior.Rules up) {
        int shortest = Integer.MAX_VALUE;
        int longest = 0;
        for (HpaBehavior.Policy p : up.policies()) {
            shortest = Math.min(shortest, p.periodSeconds());
            longest = Math.max(longest, p.periodSeconds());
        }
        return up.selectPolicy() == HpaBehavior.SelectPolicy.MIN ? longest : shortest;
    }

    private static void coldStart(LintTarget t, List<Finding> out) {
        double cold = t.coldStartSeconds();
        HpaBehavior b = t.behavior();
        String where = t.behaviorPath();
        String explicit = t.keda() != null ? "KEDA's HPA default" : "the HPA default";
        HpaBehavior.Rules up = b.scaleUp();
        if (up.selectPolicy() != HpaBehavior.SelectPolicy.DISABLED) {
            int brake = brakePeriod(up);
            if (up.stabilizationWindowSeconds() < cold && brake < cold) {
                out.add(Findings.of(LintRule.SCALE_UP_FASTER_THAN_COLD_START.id(), t.file(), where + ".scaleUp",
                        String.format(Locale.ROOT, "a new replica takes about %s s to become Ready (image pull,"
                        + " model load, warm-up; more with node provisioning) but scale-up may repeat every %d s"
                        + " (stabilizationWindowSeconds %d, policy periodSeconds %d%s): while the first new pods"
                        + " load, the queue keeps growing and each sync adds more (cascading scale-up), so the"
                        + " fleet overshoots and pays for GPUs it drains again later", PodRules.fmt(cold),
                        Math.max(up.stabilizationWindowSeconds(), brake), up.stabilizationWindowSeconds(), brake,
                        b.scaleUp().equals(HpaBehavior.DEFAULT_SCALE_UP) ? ", " + explicit : ""),
                        String.format(Locale.ROOT, "bound what one cold start can add: policies with"
                        + " periodSeconds >= %d (such as Pods 4 per %d s and Percent 100 per %d s), or a"
                        + " stabilizationWindowSeconds >= %d", (long) Math.ceil(cold), roundUp(cold), roundUp(cold),
                        (long) Math.ceil(cold))));
            }
        }
        HpaBehavior.Rules down = b.scaleDown();
        if (down.selectPolicy() != HpaBehavior.SelectPolicy.DISABLED && down.stabilizationWindowSeconds() < cold) {
            out.add(Findings.of(LintRule.SCALE_DOWN_WINDOW_SHORTER_THAN_COLD_START.id(), t.file(),
                    where + ".scaleDown.stabilizationWindowSeconds", String.format(Locale.ROOT,
                    "the scale-down window (%d s) is shorter than the %s s a replica takes to come back: a lull"
                    + " shorter than a cold start removes replicas that the next burst needs at once, and the"
                    + " fleet thrashes (scale down, queue, scale up, cold start, ...)",
                    down.stabilizationWindowSeconds(), PodRules.fmt(cold)),
                    String.format(Locale.ROOT, "set scaleDown.stabilizationWindowSeconds to at least %d"
                    + " (deploy/ uses 300)", (long) Math.ceil(cold))));
        }
    }

    private static int roundUp(double seconds) {
        return (int) (Math.ceil(seconds / 30) * 30);
    }

    private static void nodePool(LintTarget t, List<Finding> out) {
        var np = t.fleet().nodePool();
        int gpus = t.gpusPerPod();
        if (gpus == 0) {
            return;
        }
        long placeable = (long) np.maxNodes() * (np.gpusPerNode() / gpus);
        int max = t.hpa().maxReplicas();
        if (max > placeable) {
            String pool = String.format(Locale.ROOT, "%s: nodePool.maxNodes %d x %d GPU%s per node, %d GPU%s per"
                    + " pod", t.fleetFile(), np.maxNodes(), np.gpusPerNode(), np.gpusPerNode() == 1 ? "" : "s", gpus,
                    gpus == 1 ? "" : "s");
            out.add(Findings.of(LintRule.MAX_REPLICAS_ABOVE_NODE_POOL.id(), t.file(), t.maxReplicasPath(),
                    placeable == 0 ? "no node of the GPU pool can hold a pod (" + pool + "): every pod stays"
                    + " Pending and the model never serves"
                    : String.format(Locale.ROOT, "at most %d replicas fit the GPU node pool (%s) but the"
                    + " autoscaler may ask for %d: the extra pods stay Pending, add no capacity, and the fleet"
                    + " queues and rejects while the autoscaler believes it scaled", placeable, pool, max),
                    placeable == 0 ? "use nodes with at least " + gpus + " GPUs (nodePool.gpusPerNode) for this"
                    + " Deployment"
                    : String.format(Locale.ROOT, "lower %s to %d, or raise the node pool's maximum to %d nodes",
                    t.maxReplicasPath(), placeable, (long) Math.ceil((double) max / (np.gpusPerNode() / gpus)))));
        }
    }

    private static void fromZero(LintTarget t, List<Finding> out) {
        KedaController k = t.keda();
        boolean toZero = k.minReplicaCount() == 0 || (k.idleReplicaCount() != null && k.idleReplicaCount() == 0);
        if (!toZero || k.triggers().isEmpty()) {
            return;
        }
        List<String> reads = new ArrayList<>();
        for (KedaController.Trigger tr : k.triggers()) {
            String source = podSource(tr, t.manifests().target());
            if (source == null) {
                return; // one trigger sees demand from outside the pods: it can activate
            }
            reads.add(source);
        }
        String field = k.minReplicaCount() == 0 ? "spec.minReplicaCount" : "spec.idleReplicaCount";
        out.add(Findings.of(LintRule.SCALE_FROM_ZERO_NEVER_ACTIVATES.id(), t.file(), field, "the ScaledObject"
                + " scales to zero, but its only trigger" + (reads.size() == 1 ? " reads " : "s read ")
                + String.join(", ", reads) + ", which only the pods being scaled emit: at zero replicas nothing"
                + " reports demand, the trigger stays inactive, and the model never comes back; every request"
                + " gets 503 from the Service", "keep minReplicaCount at 1, or add a trigger on demand seen outside"
                + " the pods (a gateway's or a queue's waiting requests, such as a redis list or a prometheus"
                + " series the gateway exports)"));
    }

    /** What a trigger reads when only the scaled pods produce it, else null. */
    private static String podSource(KedaController.Trigger tr, String target) {
        switch (tr.type()) {
            case "prometheus" -> {
                List<Expr.Selector> sels = new ArrayList<>();
                MetricRules.selectors(PromqlParser.parse(tr.metadata().get("query")), sels);
                if (sels.isEmpty()) {
                    return null;
                }
                List<String> names = new ArrayList<>();
                for (Expr.Selector s : sels) {
                    if (MetricCatalog.family(s.name()) == null) {
                        return null;
                    }
                    if (!names.contains(s.name())) {
                        names.add(s.name());
                    }
                }
                return String.join(", ", names);
            }
            case "metrics-api" -> {
                String url = tr.metadata().getOrDefault("url", "");
                return url.contains("/autoscaling") || url.contains(target) ? "the pods' " + url : null;
            }
            case "cpu", "memory" -> {
                return "the pods' " + tr.type();
            }
            default -> {
                return null;
            }
        }
    }
}
