package dev.llmautoscale.simulator.autoscale;

import dev.llmautoscale.simulator.decision.HpaPod;
import dev.llmautoscale.simulator.model.DeploymentController;
import dev.llmautoscale.simulator.model.Pod;
import dev.llmautoscale.simulator.model.PodPhase;
import dev.llmautoscale.simulator.promql.Evaluator;
import dev.llmautoscale.simulator.promql.Expr;
import dev.llmautoscale.simulator.sim.MetricExporter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The cluster as the autoscalers read it: the Deployment's scale and pods, Prometheus (through the PromQL evaluator
 * over the scraped series), metrics-server samples and the Service's endpoints.
 *
 * @param deployment  the Deployment
 * @param exporter    the scrape pipeline (metrics-server samples)
 * @param prometheus  PromQL over the scraped series
 * @param namespace   the namespace
 * @param resourceWindowSeconds metrics-server's sample window
 * @param requests    resource name to the pod's request (memory bytes, cpu cores)
 * @param random      the random stream for Service routing of scaler reads
 */
public record ClusterView(DeploymentController deployment, MetricExporter exporter, Evaluator prometheus,
                          String namespace, double resourceWindowSeconds, Map<String, Double> requests,
                          SplittableRandom random) {

    /**
     * @param q a parsed query
     * @param t now
     * @return its value
     */
    public Evaluator.Value query(Expr q, double t) {
        return prometheus.eval(q, t);
    }

    /**
     * The pods as the HPA's replica calculation sees them, with per-pod samples filled in.
     *
     * @param t       now
     * @param samples per metric name, the pod name to its value (pods absent have no sample)
     * @return one entry per pod of the Deployment
     */
    public List<HpaPod> hpaPods(double t, Map<String, Map<String, Double>> samples) {
        List<HpaPod> out = new ArrayList<>();
        for (Pod p : deployment.pods()) {
            PodPhase phase = p.phase(t);
            boolean started = !Double.isNaN(p.containerStart()) && p.containerStart() <= t;
            double startAgo = started ? t - p.containerStart() : t - p.created();
            boolean ready = phase == PodPhase.READY;
            double readyAgo = ready ? t - p.readyAt() : startAgo;
            Map<String, Double> metrics = new LinkedHashMap<>();
            for (Map.Entry<String, Map<String, Double>> e : samples.entrySet()) {
                Double v = e.getValue().get(p.name());
                if (v != null) {
                    metrics.put(e.getKey(), v);
                }
            }
            double sampleTime = exporter.resourceSampleTime(p);
            out.add(new HpaPod(p.name(), started ? "Running" : "Pending", ready, p.isDeleted(), startAgo, readyAgo,
                    metrics, Double.isNaN(sampleTime) ? 0 : t - sampleTime, resourceWindowSeconds, requests));
        }
        return out;
    }

    /**
     * @param resource cpu or memory
     * @return pod name to its metrics-server sample
     */
    public Map<String, Double> resourceSamples(String resource) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Pod p : deployment.pods()) {
            double v = exporter.resourceSample(p, resource);
            if (!Double.isNaN(v)) {
                out.put(p.name(), v);
            }
        }
        return out;
    }

    /**
     * @param t now
     * @return the pods the Service routes to
     */
    public List<Pod> endpoints(double t) {
        List<Pod> out = new ArrayList<>();
        for (Pod p : deployment.pods()) {
            if (p.isEndpoint(t)) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * @param t now
     * @return pods Running and Ready
     */
    public int readyReplicas(double t) {
        int n = 0;
        for (Pod p : deployment.pods()) {
            if (p.phase(t) == PodPhase.READY) {
                n++;
            }
        }
        return n;
    }
}
