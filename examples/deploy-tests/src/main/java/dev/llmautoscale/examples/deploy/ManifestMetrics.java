package dev.llmautoscale.examples.deploy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Compares the PromQL of the manifests with a scrape of the server. */
public final class ManifestMetrics {

    /** Labels Prometheus adds when scraping (the server does not export them) and histogram buckets. */
    public static final Set<String> SCRAPE_LABELS = Set.of("namespace", "pod", "le", "job", "instance", "service");

    private ManifestMetrics() {
    }

    /**
     * Every metric name of every PromQL expression in the manifests (but those of the queue worker's own families,
     * see {@link #queueWorkerProblems}) must be in the scrape, or be one of {@link #KUBE_STATE_METRICS} or a name
     * that a rule of the manifests records; every label they match
     * on must exist on that metric; for literal values (and regex alternatives) of labels other than {@code model},
     * which names deployment-specific models, the value must occur too.
     *
     * @param scrape a scrape of the server, in the Prometheus text format
     * @param manifests the manifests
     * @return what is missing, empty when everything is there
     */
    public static List<String> problems(String scrape, List<Manifest> manifests) {
        return problems(scrape, manifests, true);
    }

    /**
     * Like {@link #problems(String, List)}; without the label value check when {@code checkValues} is false (a scrape
     * taken after a run that did not produce every outcome, such as a queue timeout, lacks those series).
     *
     * @param scrape a scrape of the server
     * @param manifests the manifests
     * @param checkValues whether literal label values must occur
     * @return what is missing
     */
    public static List<String> problems(String scrape, List<Manifest> manifests, boolean checkValues) {
        return problems(scrape, manifests, checkValues, false);
    }

    /**
     * The check of {@link #problems(String, List)} for the example queue worker's scrape: only the queries that read
     * its own families ({@value #QUEUE_WORKER_PREFIX}*), which the servers do not export.
     *
     * @param scrape a scrape of the queue worker
     * @param manifests the manifests
     * @return what is missing
     */
    public static List<String> queueWorkerProblems(String scrape, List<Manifest> manifests) {
        return problems(scrape, manifests, true, true);
    }

    /**
     * The kube-state-metrics families the rules read (not exported by the library; kube-state-metrics serves them
     * with the labels {@code namespace} and {@code deployment}).
     */
    public static final Set<String> KUBE_STATE_METRICS = Set.of("kube_deployment_spec_replicas",
            "kube_deployment_status_replicas");

    /**
     * @param manifests the manifests
     * @return the names that the PrometheusRules record (their inputs are checked in the recording expression)
     */
    public static Set<String> recordedNames(List<Manifest> manifests) {
        Set<String> recorded = new TreeSet<>();
        for (Manifest m : Manifests.ofKind(manifests, "PrometheusRule")) {
            for (Object g : (List<?>) m.get("spec", "groups")) {
                for (Object r : (List<?>) Manifest.at(g, "rules")) {
                    Object name = Manifest.at(r, "record");
                    if (name != null) {
                        recorded.add(String.valueOf(name));
                    }
                }
            }
        }
        return recorded;
    }

    /** The prefix of the example queue worker's own families (examples/queue-worker). */
    public static final String QUEUE_WORKER_PREFIX = "llm_queue_worker_";

    private static List<String> problems(String scrape, List<Manifest> manifests, boolean checkValues,
            boolean queueWorker) {
        Set<String> names = new HashSet<>(Exposition.sampleNames(scrape));
        Set<String> external = new HashSet<>(KUBE_STATE_METRICS);
        external.addAll(recordedNames(manifests));
        List<String> problems = new ArrayList<>();
        for (PromQl.Query q : PromQl.queries(manifests)) {
            Set<String> used = PromQl.metricNames(q.expr());
            boolean readsWorker = used.stream().anyMatch(n -> n.startsWith(QUEUE_WORKER_PREFIX));
            if (readsWorker != queueWorker) {
                continue;
            }
            if (used.isEmpty()) {
                problems.add(q.where() + ": no metric name found in " + q.expr());
            }
            for (String name : used) {
                if (!names.contains(name) && !external.contains(name)) {
                    problems.add(q.where() + ": " + name + " is not in the scrape");
                }
            }
            for (Selectors.Matcher m : Selectors.matchers(q.expr())) {
                if (SCRAPE_LABELS.contains(m.label()) || !names.contains(m.metric())) {
                    continue;
                }
                if (!Selectors.present(scrape, m.metric(), m.label(), null)) {
                    problems.add(q.where() + ": " + m.metric() + " has no label " + m.label());
                } else if (checkValues && !m.label().equals("model")) {
                    List<String> values = m.op().equals("=") ? List.of(m.value())
                            : m.op().equals("=~") ? List.of(m.value().split("\\|")) : List.of();
                    for (String v : values) {
                        if (!Selectors.present(scrape, m.metric(), m.label(), v)) {
                            problems.add(q.where() + ": " + m.metric() + "{" + m.label() + "=\"" + v
                                    + "\"} is not in the scrape");
                        }
                    }
                }
            }
        }
        return problems;
    }
}
