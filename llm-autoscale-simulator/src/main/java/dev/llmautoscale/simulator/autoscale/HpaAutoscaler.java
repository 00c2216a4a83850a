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
 * is missing) and each Resource metric from metrics-server, then lets {@link HpaController} decide.
 */
public final class HpaAutoscaler implements Autoscaler {

    private final HpaController hpa;
    private final List<HpaController.MetricSpec> metrics;
    private final List<AdapterRules.Rule> rules = new ArrayList<>();
    private final double syncSeconds;
    private final String label;
    private double nextSync;

    /**
     * @param doc         the HPA document
     * @param adapter     the prometheus-adapter rules
     * @param syncSeconds the sync period
     * @param tolerance   the controller's tolerance
     */
    public HpaAutoscaler(ConfigNode doc, AdapterRules adapter, double syncSeconds, double tolerance) {
        this.hpa = HpaController.fromSpec(doc.get("spec").raw(), doc.file(), "spec", tolerance);
        this.metrics = hpa.metrics();
        this.syncSeconds = syncSeconds;
        this.nextSync = syncSeconds;
        this.label = doc.get("metadata").string("name", "hpa");
        for (int i = 0; i < metrics.size(); i++) {
            HpaController.MetricSpec m = metrics.get(i);
            String field = "spec.metrics[" + i + "]";
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
                default -> throw new ConfigException(doc.file(), field + ".type", "'" + m.type() + "' metrics are"
                        + " not simulated (they need prometheus-adapter external rules); allowed: Pods, Resource");
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
        Map<String, Map<String, Double>> samples = new LinkedHashMap<>();
        for (int i = 0; i < metrics.size(); i++) {
            HpaController.MetricSpec m = metrics.get(i);
            AdapterRules.Rule r = rules.get(i);
            if (r == null) {
                samples.put(m.name(), cluster.resourceSamples(m.name()));
            } else if (!names.isEmpty()) {
                samples.put(m.name(), perPod(cluster, r, names, t));
            }
        }
        List<HpaPod> pods = cluster.hpaPods(t, samples);
        HpaController.SyncResult result = hpa.sync(t, cluster.deployment().replicas(), pods, Map.of());
        cluster.deployment().setReplicas(result.replicas());
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
