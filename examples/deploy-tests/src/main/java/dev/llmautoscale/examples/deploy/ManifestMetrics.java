package dev.llmautoscale.examples.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Compares the PromQL of the manifests with a scrape of the server. */
public final class ManifestMetrics {

    /** Labels Prometheus adds when scraping (the server does not export them) and histogram buckets. */
    public static final Set<String> SCRAPE_LABELS = Set.of("namespace", "pod", "le", "job", "instance", "service");

    private ManifestMetrics() {
    }

    /**
     * Every metric name of every PromQL expression in the manifests (but those of the queue worker's own families,
     * see {@link #queueWorkerProblems}) must be in the scrape, and every label they match
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

    /** The prefix of the example queue worker's own families (examples/queue-worker). */
    public static final String QUEUE_WORKER_PREFIX = "llm_queue_worker_";

    private static List<String> problems(String scrape, List<Manifest> manifests, boolean checkValues,
            boolean queueWorker) {
        Set<String> names = Exposition.sampleNames(scrape);
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
                if (!names.contains(name)) {
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
