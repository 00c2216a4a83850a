package dev.llmautoscale.simulator.autoscale;

import dev.llmautoscale.simulator.config.ConfigException;
import dev.llmautoscale.simulator.config.ConfigNode;
import dev.llmautoscale.simulator.decision.HpaController;
import dev.llmautoscale.simulator.decision.KedaController;
import dev.llmautoscale.simulator.model.Pod;
import dev.llmautoscale.simulator.promql.Evaluator;
import dev.llmautoscale.simulator.promql.Expr;
import dev.llmautoscale.simulator.promql.PromqlException;
import dev.llmautoscale.simulator.promql.PromqlParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A KEDA ScaledObject: every pollingInterval KEDA reads its triggers and {@link KedaController#poll} decides
 * activation, scaling to and from zero and fallback; every HPA sync period the HPA KEDA created reads the same
 * triggers (through KEDA's metrics server) and {@link KedaController#hpaSync} decides.
 *
 * <p>Triggers read: {@code prometheus} (the query over the scraped series, with KEDA's rules: no result is 0 when
 * {@code ignoreNullValues} is true, the default, else an error; several series are an error), {@code metrics-api}
 * (a field of one pod's {@code /autoscaling} JSON through the Service), {@code redis} list length (modelled as the
 * requests waiting in the fleet's admission queues), {@code cpu} and {@code memory} (metrics-server, through the
 * pods).
 */
public final class KedaAutoscaler implements Autoscaler {

    private final KedaController keda;
    private final List<KedaController.Trigger> triggers;
    private final List<Expr> queries = new ArrayList<>();
    private final List<Boolean> ignoreNull = new ArrayList<>();
    private final double pollSeconds;
    private final double syncSeconds;
    private final int min;
    private final int max;
    private final String label;
    private double nextPoll;
    private double nextSync;

    /**
     * @param doc         the ScaledObject
     * @param syncSeconds the HPA sync period
     * @param tolerance   the HPA tolerance
     */
    public KedaAutoscaler(ConfigNode doc, double syncSeconds, double tolerance) {
        this.keda = KedaController.fromScaledObject(doc.raw(), doc.file(), tolerance);
        this.triggers = keda.triggers();
        this.pollSeconds = keda.pollingIntervalSeconds();
        this.syncSeconds = syncSeconds;
        this.nextPoll = 0;
        this.nextSync = syncSeconds;
        ConfigNode spec = doc.get("spec");
        this.min = spec.integer("minReplicaCount", 0, 0, 100_000);
        this.max = spec.integer("maxReplicaCount", 100, 1, 100_000);
        this.label = doc.get("metadata").string("name", "scaledobject");
        for (KedaController.Trigger tr : triggers) {
            String field = "spec.triggers[" + tr.index() + "]";
            Expr q = null;
            boolean ignore = true;
            switch (tr.type()) {
                case "prometheus" -> {
                    String query = tr.metadata().get("query");
                    if (query == null || query.isBlank()) {
                        throw new ConfigException(doc.file(), field + ".metadata.query", "missing; the prometheus"
                                + " trigger needs a query");
                    }
                    try {
                        q = PromqlParser.parse(query);
                    } catch (PromqlException e) {
                        throw new ConfigException(doc.file(), field + ".metadata.query", e.getMessage());
                    }
                    String ig = tr.metadata().getOrDefault("ignoreNullValues", "true");
                    if (!ig.equals("true") && !ig.equals("false")) {
                        throw new ConfigException(doc.file(), field + ".metadata.ignoreNullValues", "'" + ig
                                + "'; allowed values: true, false");
                    }
                    ignore = ig.equals("true");
                }
                case "metrics-api" -> {
                    String loc = tr.metadata().getOrDefault("valueLocation", "");
                    // The fields of the servlet module's /autoscaling JSON (AutoscalingServlet).
                    if (!List.of("queued", "running", "inFlight").contains(loc)) {
                        throw new ConfigException(doc.file(), field + ".metadata.valueLocation", "'" + loc
                                + "' is not a field the simulated /autoscaling answers; allowed: queued, running,"
                                + " inFlight");
                    }
                }
                case "redis", "cpu", "memory" -> {
                    // read from the fleet state at each read
                }
                default -> throw new ConfigException(doc.file(), field + ".type", "'" + tr.type() + "' triggers"
                        + " are not simulated; allowed: prometheus, metrics-api, redis, cpu, memory");
            }
            queries.add(q);
            ignoreNull.add(ignore);
        }
    }

    @Override
    public void step(double t, ClusterView cluster) {
        int current = cluster.deployment().replicas();
        if (t + 1e-9 >= nextPoll) {
            nextPoll += pollSeconds;
            KedaController.PollResult r = keda.poll(t, current, cluster.readyReplicas(t), readings(t, cluster));
            if (r.replicas() != null) {
                current = r.replicas();
                cluster.deployment().setReplicas(current);
            }
        }
        if (t + 1e-9 >= nextSync) {
            nextSync += syncSeconds;
            Map<String, Map<String, Double>> samples = new java.util.LinkedHashMap<>();
            samples.put("cpu", cluster.resourceSamples("cpu"));
            samples.put("memory", cluster.resourceSamples("memory"));
            HpaController.SyncResult s = keda.hpaSync(t, current, cluster.hpaPods(t, samples), readings(t, cluster));
            cluster.deployment().setReplicas(s.replicas());
        }
    }

    private List<KedaController.Reading> readings(double t, ClusterView cluster) {
        List<KedaController.Reading> out = new ArrayList<>(triggers.size());
        for (int i = 0; i < triggers.size(); i++) {
            KedaController.Trigger tr = triggers.get(i);
            out.add(switch (tr.type()) {
                case "prometheus" -> prometheus(cluster.query(queries.get(i), t), ignoreNull.get(i));
                case "metrics-api" -> metricsApi(tr, cluster, t);
                case "redis" -> {
                    double waiting = 0;
                    for (Pod p : cluster.deployment().pods()) {
                        waiting += p.replica().queueDepth();
                    }
                    yield new KedaController.Reading(waiting, false);
                }
                default -> new KedaController.Reading(null, false);
            });
        }
        return out;
    }

    private static KedaController.Reading prometheus(Evaluator.Value v, boolean ignoreNull) {
        double value;
        if (v.vector() == null) {
            value = v.scalar();
        } else if (v.vector().isEmpty()) {
            return ignoreNull ? new KedaController.Reading(0.0, false) : new KedaController.Reading(null, true);
        } else if (v.vector().size() > 1) {
            return new KedaController.Reading(null, true); // "prometheus query ... returned multiple elements"
        } else {
            value = v.vector().get(0).value();
        }
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return ignoreNull ? new KedaController.Reading(0.0, false) : new KedaController.Reading(null, true);
        }
        return new KedaController.Reading(value, false);
    }

    private static KedaController.Reading metricsApi(KedaController.Trigger tr, ClusterView cluster, double t) {
        List<Pod> endpoints = cluster.endpoints(t);
        if (endpoints.isEmpty()) {
            return new KedaController.Reading(null, true);
        }
        Pod p = endpoints.get(cluster.random().nextInt(endpoints.size()));
        String loc = tr.metadata().get("valueLocation");
        double v = switch (loc) {
            case "queued" -> p.replica().queueDepth();
            case "running" -> p.replica().inFlight();
            default -> p.replica().activeRequests(); // inFlight: running + queued
        };
        return new KedaController.Reading(v, false);
    }

    @Override
    public int minReplicas() {
        return min;
    }

    @Override
    public int maxReplicas() {
        return max;
    }

    @Override
    public String describe() {
        return "KEDA ScaledObject " + label + " (" + triggers.size() + " triggers, polling " + (long) pollSeconds
                + " s, HPA sync " + (long) syncSeconds + " s)";
    }
}
