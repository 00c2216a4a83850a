package dev.llmautoscale.examples.deploy;

import static dev.llmautoscale.examples.deploy.DeploySchemaTest.find;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The manifests agree with each other, with the server's endpoints, and fix the guide's weak spots. */
class DeployConsistencyTest {

    private final List<Manifest> all = Manifests.all();

    private static Map<String, String> env(Object container) {
        Map<String, String> env = new HashMap<>();
        for (Object e : (List<?>) Manifest.at(container, "env")) {
            env.put(String.valueOf(Manifest.at(e, "name")), String.valueOf(Manifest.at(e, "value")));
        }
        return env;
    }

    private static int seconds(Map<String, String> env, String name) {
        assertThat(env).as("env " + name).containsKey(name);
        return (int) Math.ceil(Double.parseDouble(env.get(name)));
    }

    private static int port(Object container, String name) {
        for (Object p : (List<?>) Manifest.at(container, "ports")) {
            if (name.equals(Manifest.at(p, "name"))) {
                return ((Number) Manifest.at(p, "containerPort")).intValue();
            }
        }
        throw new AssertionError("no container port named " + name);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    private static int number(Object node, Object... path) {
        return ((Number) Manifest.at(node, path)).intValue();
    }

    /** The Deployments of HTTP inference servers: all but the queue worker's (deploy/queue). */
    private List<Manifest> httpServers() {
        return Manifests.ofKind(all, "Deployment").stream().filter(d -> !d.file().startsWith("queue")).toList();
    }

    @Test
    void everyDeploymentFixesTheGuidesProbesAnnotationsAndShutdown() {
        List<Manifest> deployments = httpServers();
        assertThat(deployments).hasSize(3);
        assertThat(Manifests.ofKind(all, "Deployment")).hasSize(4);
        for (Manifest d : deployments) {
            Object pod = d.get("spec", "template");
            Object c = Manifest.at(pod, "spec", "containers", 0);
            Map<String, String> env = env(c);
            assertThat(port(c, "http")).as(d + " http port").isEqualTo(Integer.parseInt(env.get("PORT")))
                    .isEqualTo(8000);
            int metrics = port(c, "metrics");
            assertThat(metrics).as(d + " metrics port").isEqualTo(Integer.parseInt(env.get("METRICS_PORT")))
                    .isEqualTo(8001);
            // The guide annotated port 8000 although its exporter listens on 8001.
            assertThat(Manifest.at(pod, "metadata", "annotations", "prometheus.io/port"))
                    .as(d + " prometheus.io/port").isEqualTo(String.valueOf(metrics));

            // Separate startup, readiness and liveness; the startup budget covers twice the model load.
            assertThat(Manifest.at(c, "startupProbe", "httpGet", "path")).isEqualTo("/ready");
            assertThat(Manifest.at(c, "readinessProbe", "httpGet", "path")).isEqualTo("/ready");
            assertThat(Manifest.at(c, "livenessProbe", "httpGet", "path")).isEqualTo("/health");
            int startupBudget = number(c, "startupProbe", "periodSeconds")
                    * number(c, "startupProbe", "failureThreshold");
            assertThat(startupBudget).as(d + " startup budget (s)")
                    .isGreaterThanOrEqualTo(2 * seconds(env, "MODEL_LOAD_SECONDS"));
            assertThat(Manifest.at(c, "livenessProbe", "initialDelaySeconds")).as("startupProbe gates liveness")
                    .isNull();

            // preStop knows whether requests finished: the guide's active_requests loop, not a bare sleep.
            List<?> command = (List<?>) Manifest.at(c, "lifecycle", "preStop", "exec", "command");
            assertThat(List.of(command.get(0), command.get(1))).isEqualTo(List.of("/bin/sh", "-c"));
            String script = String.valueOf(command.get(2));
            assertThat(script).contains("/active_requests", "-eq 0", "for i in $(seq 1 60)");
            // The guide's hook after the endpoint-propagation sleep: sleep, then touch the file the server watches,
            // then the loop.
            String touch = "touch " + env.get("DRAIN_TRIGGER_FILE");
            assertThat(env.get("DRAIN_TRIGGER_FILE")).as(d + " DRAIN_TRIGGER_FILE").isEqualTo("/tmp/shutdown");
            assertThat(script.indexOf("sleep \"${PRE_STOP_SLEEP_SECONDS")).as(d + " sleep first").isNotNegative()
                    .isLessThan(script.indexOf(touch));
            assertThat(script.indexOf(touch)).as(d + " touch before the loop")
                    .isLessThan(script.indexOf("for i in $(seq 1 60)"));
            int preStopLoop = 60;

            // The grace period covers preStop (sleep + loop) and the server's own shutdown after SIGTERM.
            int grace = number(pod, "spec", "terminationGracePeriodSeconds");
            int needed = seconds(env, "PRE_STOP_SLEEP_SECONDS") + preStopLoop + seconds(env, "PRE_DRAIN_DELAY_SECONDS")
                    + seconds(env, "DRAIN_TIMEOUT_SECONDS") + seconds(env, "SHUTDOWN_LINGER_SECONDS");
            assertThat(grace).as(d + " terminationGracePeriodSeconds").isGreaterThanOrEqualTo(needed);

            // The guide's environment.
            assertThat(env).containsKeys("MODEL_NAME", "MAX_BATCH_SIZE", "MAX_CONCURRENT_REQUESTS");
            assertThat(env.get("MAX_BATCH_SIZE")).isEqualTo("8");
            assertThat(env.get("MAX_CONCURRENT_REQUESTS")).isEqualTo("32");
            // Rolling updates never remove capacity before the new pod's model is loaded.
            assertThat(d.get("spec", "strategy", "rollingUpdate", "maxUnavailable")).isEqualTo(0);
        }
    }

    @Test
    void theQueueWorkerIsScrapedAndDrainsWithinItsGracePeriod() {
        Manifest d = find(all, "Deployment", "llm-queue-worker");
        Object pod = d.get("spec", "template");
        Object c = Manifest.at(pod, "spec", "containers", 0);
        Map<String, String> env = env(c);
        assertThat(port(c, "http")).isEqualTo(Integer.parseInt(env.get("PORT"))).isEqualTo(8000);
        int metrics = port(c, "metrics");
        assertThat(metrics).isEqualTo(Integer.parseInt(env.get("METRICS_PORT"))).isEqualTo(8001);
        assertThat(Manifest.at(pod, "metadata", "annotations", "prometheus.io/port")).isEqualTo("8001");
        assertThat(Manifest.at(c, "startupProbe", "httpGet", "path")).isEqualTo("/ready");
        assertThat(Manifest.at(c, "readinessProbe", "httpGet", "path")).isEqualTo("/ready");
        assertThat(Manifest.at(c, "livenessProbe", "httpGet", "path")).isEqualTo("/health");
        assertThat(number(c, "startupProbe", "periodSeconds") * number(c, "startupProbe", "failureThreshold"))
                .isGreaterThanOrEqualTo(2 * seconds(env, "MODEL_LOAD_SECONDS"));
        // No preStop: nothing routes to a worker; SIGTERM itself stops the taking. The grace period covers the drain
        // (PRE_DRAIN_DELAY_SECONDS defaults to 0 for the worker) and the linger.
        assertThat(Manifest.at(c, "lifecycle")).isNull();
        assertThat(env).doesNotContainKey("PRE_DRAIN_DELAY_SECONDS");
        assertThat(number(pod, "spec", "terminationGracePeriodSeconds"))
                .isGreaterThanOrEqualTo(seconds(env, "DRAIN_TIMEOUT_SECONDS") + seconds(env, "SHUTDOWN_LINGER_SECONDS"));
        // KEDA's addressFromEnv reads host:port from the same variable the worker reads.
        assertThat(env.get("REDIS_HOST")).matches("[a-z0-9.-]+:\\d+");
        assertThat(env).containsEntry("QUEUE_NAME", "inference_queue").containsEntry("MAX_CONCURRENT_REQUESTS", "32");
        assertThat(d.get("spec", "strategy", "rollingUpdate", "maxUnavailable")).isEqualTo(0);

        Manifest monitor = find(all, "PodMonitor", "llm-queue-worker-metrics");
        assertThat(map(d.get("spec", "template", "metadata", "labels")))
                .containsAllEntriesOf(map(monitor.get("spec", "selector", "matchLabels")));
        assertThat(monitor.get("spec", "podMetricsEndpoints", 0, "port")).isEqualTo("metrics");
    }

    @Test
    void theQueueScaledObjectIsTheGuidesWithTheJobsInHandTrigger() {
        Manifest so = find(all, "ScaledObject", "llm-queue-worker-scaler");
        assertThat(so.get("spec", "scaleTargetRef", "name")).isEqualTo("llm-queue-worker");
        Object redis = so.get("spec", "triggers", 0);
        assertThat(Manifest.at(redis, "type")).isEqualTo("redis");
        assertThat(Manifest.at(redis, "metadata")).isEqualTo(Map.of("addressFromEnv", "REDIS_HOST",
                "listName", "inference_queue", "listLength", "5", "activationListLength", "1"));
        Object worker = find(all, "Deployment", "llm-queue-worker").get("spec", "template", "spec", "containers", 0);
        assertThat(env(worker)).containsKey("REDIS_HOST").containsEntry("QUEUE_NAME", "inference_queue");
        assertThat(Manifest.at(so.get("spec", "triggers", 1), "metadata", "query"))
                .isEqualTo("avg(nvidia_gpu_memory_used_bytes / nvidia_gpu_memory_total_bytes * 100)");
        assertThat(String.valueOf(Manifest.at(so.get("spec", "triggers", 2), "metadata", "query")))
                .contains("llm_queue_worker_jobs_in_hand");
        // The guide's behaviour and bounds.
        assertThat(so.get("spec", "minReplicaCount")).isEqualTo(1);
        assertThat(so.get("spec", "maxReplicaCount")).isEqualTo(20);
        assertThat(so.get("spec", "cooldownPeriod")).isEqualTo(300);
    }

    @Test
    void monitoringSelectsTheServiceAndItsMetricsPort() {
        Manifest service = find(all, "Service", "llm-inference");
        Manifest deployment = find(all, "Deployment", "llm-inference");
        Manifest monitor = find(all, "ServiceMonitor", "llm-inference-metrics");
        Map<String, Object> podLabels = map(deployment.get("spec", "template", "metadata", "labels"));
        assertThat(podLabels).containsAllEntriesOf(map(service.get("spec", "selector")));
        assertThat(map(service.get("metadata", "labels")))
                .containsAllEntriesOf(map(monitor.get("spec", "selector", "matchLabels")));
        Set<Object> servicePorts = ((List<?>) service.get("spec", "ports")).stream()
                .map(p -> Manifest.at(p, "name")).collect(Collectors.toSet());
        assertThat(servicePorts).contains(monitor.get("spec", "endpoints", 0, "port"));
        assertThat(monitor.get("spec", "endpoints", 0, "port")).isEqualTo("metrics");

        Manifest podMonitor = find(all, "PodMonitor", "llm-models-metrics");
        Map<String, Object> wanted = map(podMonitor.get("spec", "selector", "matchLabels"));
        for (String name : List.of("llama-13b-inference", "llama-70b-inference")) {
            assertThat(map(find(all, "Deployment", name).get("spec", "template", "metadata", "labels"))).as(name)
                    .containsAllEntriesOf(wanted);
        }
    }

    @Test
    void theDisruptionBudgetAllowsNodeDrains() {
        Manifest pdb = find(all, "PodDisruptionBudget", "llm-inference-pdb");
        // The guide's minAvailable 2 with 2 replicas blocks every voluntary eviction.
        assertThat(pdb.get("spec", "minAvailable")).isNull();
        assertThat(pdb.get("spec", "maxUnavailable")).isEqualTo(1);
        assertThat(pdb.get("spec", "selector", "matchLabels"))
                .isEqualTo(find(all, "Deployment", "llm-inference").get("spec", "selector", "matchLabels"));
    }

    @Test
    void autoscalersTargetDeploymentsThatExistAndUseTheGuidesBehaviour() {
        Set<String> deployments = Manifests.ofKind(all, "Deployment").stream().map(Manifest::name)
                .collect(Collectors.toSet());
        Manifest hpa = find(all, "HorizontalPodAutoscaler", "llm-inference-hpa");
        assertThat(deployments).contains(String.valueOf(hpa.get("spec", "scaleTargetRef", "name")));
        for (Manifest so : Manifests.ofKind(all, "ScaledObject")) {
            assertThat(deployments).as(so.toString())
                    .contains(String.valueOf(so.get("spec", "scaleTargetRef", "name")));
        }
        assertThat(deployments).contains(String.valueOf(find(all, "VerticalPodAutoscaler", "llm-inference-vpa")
                .get("spec", "targetRef", "name")));
        // The guide's behaviour block, unchanged.
        assertThat(hpa.get("spec", "behavior", "scaleUp", "stabilizationWindowSeconds")).isEqualTo(60);
        assertThat(hpa.get("spec", "behavior", "scaleDown", "stabilizationWindowSeconds")).isEqualTo(300);
        assertThat(hpa.get("spec", "behavior", "scaleDown", "policies", 0, "value")).isEqualTo(50);
        assertThat(hpa.get("spec", "behavior", "scaleUp", "policies", 0, "value")).isEqualTo(100);
        assertThat(hpa.get("spec", "behavior", "scaleUp", "policies", 1, "value")).isEqualTo(2);
        assertThat(hpa.get("spec", "behavior", "scaleUp", "selectPolicy")).isEqualTo("Max");
        // The VPA only recommends: "Auto" would evict pods (a model load each) and fight the HPA.
        assertThat(find(all, "VerticalPodAutoscaler", "llm-inference-vpa").get("spec", "updatePolicy", "updateMode"))
                .isEqualTo("Off");
    }

    @Test
    void everyHpaPodsMetricIsServedByAnAdapterRule() {
        Set<String> served = Manifests.ofKind(all, "ConfigMap").stream()
                .flatMap(m -> PromQl.adapterRules(m).stream()).map(PromQl.AdapterRule::as)
                .collect(Collectors.toSet());
        assertThat(served).contains("gpu_utilization", "inference_queue_depth");
        Manifest hpa = find(all, "HorizontalPodAutoscaler", "llm-inference-hpa");
        List<?> metrics = (List<?>) hpa.get("spec", "metrics");
        assertThat(metrics).isNotEmpty().allSatisfy(m -> {
            assertThat(Manifest.at(m, "type")).isEqualTo("Pods");
            assertThat(served).contains(String.valueOf(Manifest.at(m, "pods", "metric", "name")));
        });
        assertThat(metrics).extracting(m -> Manifest.at(m, "pods", "metric", "name"))
                .containsExactly("gpu_utilization", "inference_queue_depth");
        assertThat(metrics).extracting(m -> Manifest.at(m, "pods", "target", "averageValue"))
                .containsExactly("75", "10");
    }

    @Test
    void kedaKeepsTheGuidesQueries() {
        List<String> queries = PromQl.queries(all).stream().filter(q -> q.kind().equals("keda"))
                .map(q -> q.expr().replaceAll("\\s+", "")).toList();
        assertThat(queries).contains("avg(nvidia_gpu_memory_used_bytes/nvidia_gpu_memory_total_bytes*100)");
        assertThat(queries).contains(
                "sum(rate(llm_inference_requests_total{model=\"llama-13b\",status=\"success\"}[2m]))",
                "sum(rate(llm_inference_requests_total{model=\"llama-70b\",status=\"success\"}[2m]))");
        Manifest so = find(all, "ScaledObject", "llm-inference-scaler");
        List<?> triggers = (List<?>) so.get("spec", "triggers");
        assertThat(triggers).anySatisfy(t -> {
            assertThat(Manifest.at(t, "type")).isEqualTo("metrics-api");
            assertThat(String.valueOf(Manifest.at(t, "metadata", "url"))).endsWith(":8000/autoscaling");
        });
    }

    @Test
    void theK6ConfigMapCarriesTheScriptVerbatim() throws IOException {
        Manifest cm = find(all, "ConfigMap", "llm-load-test-script");
        String script = Files.readString(RepositoryLayout.deploy().resolve("k6/test.js"));
        assertThat(cm.get("data", "test.js"))
                .as("deploy/k6/configmap.yaml is out of date; regenerate it from deploy/k6/test.js"
                        + " (docs/KUBERNETES.md)")
                .isEqualTo(script);
        assertThat(script).contains("/v1/completions", "ramping-arrival-rate", "expectedStatuses(200, 429)");
    }
}
