package dev.llmautoscale.simulator.advisor.lint;

import dev.llmautoscale.simulator.config.AdapterRules;
import dev.llmautoscale.simulator.config.ConfigNode;
import dev.llmautoscale.simulator.decision.HpaController;
import dev.llmautoscale.simulator.decision.KedaController;
import dev.llmautoscale.simulator.promql.Expr;
import dev.llmautoscale.simulator.promql.PromqlParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Rules on what the autoscaler reads: series the library does not export, labels a family does not have, and
 * targets the metric can never reach or always exceeds.
 */
final class MetricRules {

    private static final double GI = 1024.0 * 1024 * 1024;

    private MetricRules() {
    }

    static void check(LintTarget t, List<Finding> out) {
        if (t.keda() != null) {
            keda(t, out);
        } else {
            hpa(t, out);
        }
    }

    private static void hpa(LintTarget t, List<Finding> out) {
        List<HpaController.MetricSpec> metrics = t.hpa().metrics();
        for (int i = 0; i < metrics.size(); i++) {
            HpaController.MetricSpec m = metrics.get(i);
            String base = "spec.metrics[" + i + "]";
            switch (m.type()) {
                case "Pods", "Object", "External" -> {
                    String key = m.type().toLowerCase(Locale.ROOT);
                    boolean external = m.type().equals("External");
                    AdapterRules.Rule rule = external ? t.rules().forExternal(m.name())
                            : m.type().equals("Object") ? t.rules().forObject(m.name(), describedKind(t, i))
                            : t.rules().forMetric(m.name());
                    if (rule == null) {
                        out.add(Findings.of(LintRule.METRIC_NOT_EXPORTED.id(), t.file(), base + "." + key
                                + ".metric.name", "no prometheus-adapter " + (external ? "external rule" : "rule")
                                + " (" + t.rules().source() + ") serves '" + m.name() + "': the "
                                + (external ? "external" : "custom") + " metrics API answers 404, the HPA reports"
                                + " FailedGet" + m.type() + "Metric and this metric never scales the fleet",
                                "use a metric the " + (external ? "externalRules" : "rules") + " serve ("
                                + served(external ? t.rules().externalRules() : t.rules().rules())
                                + ") or add an adapter " + (external ? "externalRules entry" : "rule")
                                + " for a series the library exports"));
                        continue;
                    }
                    MetricCatalog.Family f = MetricCatalog.family(rule.series());
                    if (f == null) {
                        out.add(notExported(t.rules().source(), rule.field().replace("metricsQuery", "seriesQuery"),
                                rule.series(), "the adapter rule serving '" + m.name() + "'"));
                        continue;
                    }
                    for (String label : m.selector().keySet()) {
                        if (!MetricCatalog.hasLabel(f, label)) {
                            out.add(unknownLabel(t.file(), base + "." + key + ".metric.selector", f, label));
                        }
                    }
                    target(t, out, f, m.target(), !m.targetType().equals("Value") || m.type().equals("Pods"),
                            base + "." + key + ".target", "'" + m.name() + "' (" + rule.series() + ")");
                }
                case "Resource" -> resource(t, out, m, base);
                default -> {
                    // ContainerResource is rejected by the reader.
                }
            }
        }
    }

    /** The kind of an Object metric's describedObject ("" when absent: then no rule serves it). */
    private static String describedKind(LintTarget t, int index) {
        List<ConfigNode> items = t.manifests().autoscaler().get("spec").get("metrics").list();
        return index < items.size() ? items.get(index).get("object").get("describedObject").string("kind", "") : "";
    }

    private static String served(List<AdapterRules.Rule> rules) {
        List<String> names = new ArrayList<>();
        for (AdapterRules.Rule r : rules) {
            names.add(r.metricName());
        }
        return String.join(", ", names);
    }

    private static void resource(LintTarget t, List<Finding> out, HpaController.MetricSpec m, String base) {
        if (!m.targetType().equals("Utilization")) {
            return;
        }
        var res = t.fleet().resources();
        double used;
        double request;
        String what;
        if (m.name().equals("memory")) {
            used = res.memoryBaseBytes() + res.memoryWeightsBytes();
            request = res.memoryRequestBytes() >= 0 ? res.memoryRequestBytes()
                    : t.deployment().memoryRequestBytes() >= 0 ? t.deployment().memoryRequestBytes() : 24 * GI;
            what = String.format(Locale.ROOT, "a loaded replica keeps %.1f GiB resident of its %.1f GiB request",
                    used / GI, request / GI);
        } else if (m.name().equals("cpu")) {
            used = res.cpuIdleCores();
            request = res.cpuRequestCores() >= 0 ? res.cpuRequestCores()
                    : t.deployment().cpuRequestCores() >= 0 ? t.deployment().cpuRequestCores() : 4;
            what = String.format(Locale.ROOT, "an idle replica uses %.2f of its %.2f requested cores", used, request);
        } else {
            return;
        }
        double idlePercent = 100 * used / request;
        double tol = t.fleet().metrics().hpaTolerance();
        if (idlePercent > m.target() * (1 + tol)) {
            out.add(Findings.of(LintRule.TARGET_ALWAYS_EXCEEDED.id(), t.file(), base
                    + ".resource.target.averageUtilization", String.format(Locale.ROOT, "%s (%.0f%%), above the"
                    + " %.0f%% target even with no traffic: every sync proposes more replicas, the fleet climbs to"
                    + " %s and never scales down (the HPA takes the largest proposal over its metrics)", what,
                    idlePercent, m.target(), t.maxReplicasPath()),
                    "drop the " + m.name() + " metric (a model's resident memory is not load) and scale on queue"
                    + " depth or capacity utilization; if it must stay, set a target above "
                    + String.format(Locale.ROOT, "%.0f", Math.ceil(idlePercent * (1 + tol)))));
        }
    }

    private static void keda(LintTarget t, List<Finding> out) {
        for (KedaController.Trigger tr : t.keda().triggers()) {
            String base = "spec.triggers[" + tr.index() + "]";
            boolean average = !"Value".equals(tr.metricType());
            switch (tr.type()) {
                case "prometheus" -> {
                    Expr q = PromqlParser.parse(tr.metadata().get("query"));
                    List<Expr.Selector> sels = new ArrayList<>();
                    selectors(q, sels);
                    boolean allKnown = true;
                    for (Expr.Selector s : sels) {
                        MetricCatalog.Family f = MetricCatalog.family(s.name());
                        if (f == null) {
                            out.add(notExported(t.file(), base + ".metadata.query", s.name(), "the query"));
                            allKnown = false;
                            continue;
                        }
                        for (Expr.Matcher mt : s.matchers()) {
                            if (!MetricCatalog.hasLabel(f, mt.label())) {
                                out.add(unknownLabel(t.file(), base + ".metadata.query", f, mt.label()));
                            }
                        }
                    }
                    Expr.Selector single = singleFamily(q);
                    if (allKnown && single != null) {
                        boolean sum = q instanceof Expr.Aggregate a && a.op().equals("sum");
                        if (!sum || average) {
                            target(t, out, MetricCatalog.family(single.name()), tr.target(), true,
                                    base + ".metadata.threshold", "the query on " + single.name());
                        }
                    }
                }
                case "metrics-api" -> {
                    String loc = tr.metadata().getOrDefault("valueLocation", "");
                    if (loc.equals("queued")) {
                        target(t, out, MetricCatalog.family("llm_inference_queue_depth"), tr.target(), true,
                                base + ".metadata.targetValue", "/autoscaling queued");
                    }
                }
                default -> {
                    // redis lists, cpu and memory: no library series.
                }
            }
        }
    }

    /** The single family an aggregation or a bare selector reads, or null. */
    private static Expr.Selector singleFamily(Expr e) {
        if (e instanceof Expr.Selector s && s.rangeSeconds() == 0) {
            return s;
        }
        if (e instanceof Expr.Aggregate a && List.of("sum", "avg", "max", "min").contains(a.op())) {
            return singleFamily(a.operand());
        }
        return null;
    }

    static void selectors(Expr e, List<Expr.Selector> out) {
        if (e instanceof Expr.Selector s) {
            out.add(s);
        } else if (e instanceof Expr.Call c) {
            c.args().forEach(a -> selectors(a, out));
        } else if (e instanceof Expr.Aggregate a) {
            selectors(a.operand(), out);
        } else if (e instanceof Expr.Binary b) {
            selectors(b.lhs(), out);
            selectors(b.rhs(), out);
        } else if (e instanceof Expr.Negate n) {
            selectors(n.operand(), out);
        }
    }

    private static void target(LintTarget t, List<Finding> out, MetricCatalog.Family f, double target,
                               boolean perPod, String field, String what) {
        double tol = t.fleet().metrics().hpaTolerance();
        if (MetricCatalog.isQueueDepth(f.name()) && perPod) {
            int cap = t.fleet().server().queueCapacity();
            if (target * (1 + tol) >= cap) {
                out.add(Findings.of(LintRule.QUEUE_TARGET_UNREACHABLE.id(), t.file(), field, String.format(
                        Locale.ROOT, "a per-pod queue target of %s on %s: the admission queue holds at most %d"
                        + " (QUEUE_CAPACITY) and answers 429 beyond, so the average never exceeds the target by"
                        + " the %.0f%% tolerance; the fleet never scales up on it while clients get 429",
                        PodRules.fmt(target), what, cap, tol * 100),
                        "set the target well below the queue capacity (deploy/ uses 10 for a capacity of 64)"));
            }
            return;
        }
        if (f.scale() == MetricCatalog.Scale.RATIO && perPod && target > 1) {
            boolean percent = target <= 100;
            out.add(Findings.of(percent ? LintRule.PERCENT_TARGET_ON_RATIO.id() : LintRule.TARGET_OUT_OF_RANGE.id(),
                    t.file(), field, String.format(Locale.ROOT, "a target of %s on %s, a 0-1 ratio: it is never"
                    + " reached, the fleet never scales up on it and saturates instead", PodRules.fmt(target),
                    what), percent ? String.format(Locale.ROOT, "write the target as a ratio: %s",
                    PodRules.fmt(target / 100)) : "set a target between 0 and 1, such as 0.8"));
        } else if (f.scale() == MetricCatalog.Scale.PERCENT && perPod && (target > 100 || target <= 1)) {
            out.add(Findings.of(LintRule.TARGET_OUT_OF_RANGE.id(), t.file(), field, String.format(Locale.ROOT,
                    "a target of %s on %s, a 0-100 percentage: %s", PodRules.fmt(target), what, target > 100
                    ? "it is never reached, the fleet never scales up on it"
                    : "it is exceeded by any activity, the fleet runs at its maximum"),
                    target <= 1 ? String.format(Locale.ROOT, "write the target as a percentage: %s",
                    PodRules.fmt(target * 100)) : "set a target between 1 and 100, such as 75"));
        }
    }

    private static Finding notExported(String file, String field, String series, String where) {
        String closest = MetricCatalog.closest(series);
        return Findings.of(LintRule.METRIC_NOT_EXPORTED.id(), file, field, where + " reads '" + series
                + "', which the library does not export: the query returns nothing, so the autoscaler sees no"
                + " value (KEDA: an error or 0; HPA: FailedGetPodsMetric) and never scales on it",
                closest != null ? "use '" + closest + "' (docs/METRICS.md)"
                        : "use one of the families in docs/METRICS.md");
    }

    private static Finding unknownLabel(String file, String field, MetricCatalog.Family f, String label) {
        return Findings.of(LintRule.UNKNOWN_LABEL.id(), file, field, "'" + f.name() + "' has no label '" + label
                + "' (its labels: " + (f.labels().isEmpty() ? "none" : String.join(", ",
                new java.util.TreeSet<>(f.labels()))) + ", plus the scrape's namespace, pod, ...): the selector"
                + " matches no series and the autoscaler sees nothing",
                "drop the '" + label + "' matcher or use a label the family has");
    }
}
