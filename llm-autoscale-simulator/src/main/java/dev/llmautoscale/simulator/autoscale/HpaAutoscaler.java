package dev.llmautoscale.simulator.autoscale;

import dev.llmautoscale.simulator.config.AdapterRules;
import dev.llmautoscale.simulator.config.ConfigException;
import dev.llmautoscale.simulator.config.ConfigNode;
import dev.llmautoscale.simulator.decision.HpaController;
import dev.llmautoscale.simulator.decision.HpaPod;
import dev.llmautoscale.simulator.model.Pod;
import dev.llmautoscale.simulator.promql.Evaluator;
import dev.llmautoscale.simulator.promql.PromqlParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@code autoscaling/v2} HorizontalPodAutoscaler: every sync period it reads each Pods metric through its
 * prometheus-adapter rule (the adapter's PromQL over the scraped series, one value per pod; a pod without a series
 * is missing), each Object metric through the custom-metrics rule that serves it for the described object's
 * resource (the series whose object label names that object), each External metric through its
 * {@code externalRules} entry (the values of every series returned, summed as the HPA sums an external metric's
 * items), and each Resource metric from metrics-server, then lets {@link HpaController} decide. An Object or
 * External metric that no rule serves, or whose query returns no series, fails (FailedGetObjectMetric,
 * FailedGetExternalMetric), as the metrics API's 404 or empty answer makes it fail in Kubernetes. The adapter's
 * queries run {@code adapterDelaySeconds} in the past: the age of what the metrics APIs serve.
 */
public final class HpaAutoscaler implements Autoscaler {

    private final HpaController hpa;
    private final List<HpaController.MetricSpec> metrics;
    private final List<AdapterRules.Rule> rules = new ArrayList<>();
    private final List<DescribedObject> describedObjects = new ArrayList<>();
    private final double syncSeconds;
    private final double adapterDelaySeconds;
    private final String label;
    private double nextSync;
    private HpaController.SyncResult lastSync;

    /**
     * An HPA whose metrics APIs serve the newest scrapes (no adapter delay).
     *
     * @param doc         the HPA document
     * @param adapter     the prometheus-adapter rules
     * @param syncSeconds the sync period
     * @param tolerance   the controller's tolerance
     */
    public HpaAutoscaler(ConfigNode doc, AdapterRules adapter, double syncSeconds, double tolerance) {
        this(doc, adapter, syncSeconds, tolerance, 0);
    }

    /**
     * @param doc                 the HPA document
     * @param adapter             the prometheus-adapter rules
     * @param syncSeconds         the sync period
     * @param tolerance           the controller's tolerance
     * @param adapterDelaySeconds the age of the custom and external metrics the HPA reads
     */
    public HpaAutoscaler(ConfigNode doc, AdapterRules adapter, double syncSeconds, double tolerance,
                         double adapterDelaySeconds) {
        this.hpa = HpaController.fromSpec(doc.get("spec").raw(), doc.file(), "spec", tolerance);
        this.metrics = hpa.metrics();
        this.syncSeconds = syncSeconds;
        this.adapterDelaySeconds = adapterDelaySeconds;
        this.nextSync = syncSeconds;
        this.label = doc.get("metadata").string("name", "hpa");
        List<ConfigNode> specMetrics = doc.get("spec").get("metrics").list();
        for (int i = 0; i < metrics.size(); i++) {
            HpaController.MetricSpec m = metrics.get(i);
            String field = "spec.metrics[" + i + "]";
            describedObjects.add(null);
            switch (m.type()) {
                case "Pods" -> {
                    AdapterRules.Rule r = adapter.forMetric(m.name());
                    if (r == null) {
                        List<String> served = adapter.rules().stream().map(AdapterRules.Rule::metricName).toList();
                        throw new ConfigException(doc.file(), field + ".pods.metric.name", "no prometheus-adapter rule"
                                + " serves '" + m.name() + "' (rules from " + adapter.source() + " serve " + served
                                + "); add the adapter's ConfigMap to the files or pass --adapter-rules");
                    }
                    rules.add(r);
                }
                case "Resource" -> {
                    if (!m.name().equals("cpu") && !m.name().equals("memory")) {
                        throw new ConfigException(doc.file(), field + ".resource.name", "'" + m.name()
                                + "' is not simulated; allowed: cpu, memory");
                    }
                    rules.add(null);
                }
                case "Object" -> {
                    ConfigNode described = specMetrics.get(i).get("object").get("describedObject");
                    String kind = described.string("kind", "");
                    String name = described.string("name", "");
                    if (kind.isEmpty() || name.isEmpty()) {
                        throw new ConfigException(doc.file(), field + ".object.describedObject."
                                + (kind.isEmpty() ? "kind" : "name"), "an Object metric needs the described"
                                + " object's kind and name (for example kind: Service, name: llm-inference)");
                    }
                    describedObjects.set(i, new DescribedObject(kind, name));
                    rules.add(adapter.forObject(m.name(), kind)); // null: the metric fails at every sync
                }
                case "External" -> rules.add(adapter.forExternal(m.name())); // null: fails at every sync
                default -> throw new ConfigException(doc.file(), field + ".type", "'" + m.type() + "' metrics are"
                        + " not simulated; allowed: Pods, Resource, Object, External");
            }
        }
    }

    @Override
    public void step(double t, ClusterView cluster) {
        if (t + 1e-9 < nextSync) {
            return;
        }
        nextSync += syncSeconds;
        List<String> names = new ArrayList<>();
        for (Pod p : cluster.deployment().pods()) {
            names.add(p.name());
        }
        double readAt = t - adapterDelaySeconds;
        Map<String, Map<String, Double>> samples = new LinkedHashMap<>();
        Map<String, Double> values = new LinkedHashMap<>();
        for (int i = 0; i < metrics.size(); i++) {
            HpaController.MetricSpec m = metrics.get(i);
            AdapterRules.Rule r = rules.get(i);
            switch (m.type()) {
                case "Resource" -> samples.put(m.name(), cluster.resourceSamples(m.name()));
                case "Pods" -> {
                    if (!names.isEmpty()) {
                        samples.put(m.name(), perPod(cluster, r, names, readAt));
                    }
                }
                default -> {
                    Double v = r == null ? null : m.type().equals("Object")
                            ? objectValue(cluster, r, describedObjects.get(i), readAt)
                            : externalValue(cluster, r, m.selector(), readAt);
                    if (v != null) {
                        values.put(m.name(), v);
                    }
                }
            }
        }
        List<HpaPod> pods = cluster.hpaPods(t, samples);
        HpaController.SyncResult result = hpa.sync(t, cluster.deployment().replicas(), pods, values);
        lastSync = result;
        cluster.deployment().setReplicas(result.replicas());
    }

    /**
     * @return the outcome of the latest sync (null before the first): the recommendation, the new count and why
     */
    public HpaController.SyncResult lastSync() {
        return lastSync;
    }

    /**
     * The external metrics API's answer, as the HPA uses it: the sum of the values of every series the rule's query
     * returns; null (the metric fails) when it returns none.
     */
    static Double externalValue(ClusterView cluster, AdapterRules.Rule r, Map<String, String> selector, double t) {
        Evaluator.Value v = cluster.query(PromqlParser.parse(r.externalQuery(cluster.namespace(), selector)), t);
        if (v.vector() == null) {
            return Double.isNaN(v.scalar()) ? null : v.scalar();
        }
        double sum = 0;
        int n = 0;
        for (Evaluator.Sample s : v.vector()) {
            if (!Double.isNaN(s.value())) {
                sum += s.value();
                n++;
            }
        }
        return n == 0 ? null : sum;
    }

    /**
     * The custom metrics API's answer for one object: the value of the series whose object label names it; null
     * (the metric fails) when there is none.
     */
    static Double objectValue(ClusterView cluster, AdapterRules.Rule r, DescribedObject object, double t) {
        String label = r.labelFor(object.kind());
        Evaluator.Value v = cluster.query(PromqlParser.parse(r.objectQuery(cluster.namespace(), object.kind(),
                object.name())), t);
        if (v.vector() == null) {
            return null;
        }
        for (Evaluator.Sample s : v.vector()) {
            if (object.name().equals(s.labels().get(label)) && !Double.isNaN(s.value())) {
                return s.value();
            }
        }
        return null;
    }

    /**
     * An Object metric's {@code spec.metrics[].object.describedObject}.
     *
     * @param kind the object's kind (Service, Namespace, ...)
     * @param name the object's name
     */
    private record DescribedObject(String kind, String name) {
    }

    static Map<String, Double> perPod(ClusterView cluster, AdapterRules.Rule r, List<String> pods, double t) {
        Evaluator.Value v = cluster.query(PromqlParser.parse(r.query(cluster.namespace(), pods)), t);
        Map<String, Double> out = new LinkedHashMap<>();
        if (v.vector() != null) {
            for (Evaluator.Sample s : v.vector()) {
                String pod = s.labels().get(r.podLabel());
                if (pod != null && !Double.isNaN(s.value())) {
                    out.put(pod, s.value());
                }
            }
        }
        return out;
    }

    @Override
    public int minReplicas() {
        return hpa.minReplicas();
    }

    @Override
    public int maxReplicas() {
        return hpa.maxReplicas();
    }

    @Override
    public String describe() {
        return "HorizontalPodAutoscaler " + label + " (" + metrics.size() + " metrics, sync " + (long) syncSeconds
                + " s)";
    }
}
