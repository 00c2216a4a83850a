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

/**
 * The guide's operational advice as fields that agree with each other: the PriorityClass, GPU node affinity next to
 * the nodeSelector and tolerations, topology spread over nodes and zones, the model cache (StorageClass, claim, init
 * container, MODEL_DIR), and the k6-operator test (K6 resource and its script ConfigMap).
 */
class DeployOperationsTest {

    private final List<Manifest> all = Manifests.all();

    private List<Manifest> httpServers() {
        return Manifests.ofKind(all, "Deployment").stream().filter(d -> !d.file().startsWith("queue")).toList();
    }

    private static Map<String, String> env(Object container) {
        Map<String, String> env = new HashMap<>();
        for (Object e : (List<?>) Manifest.at(container, "env")) {
            env.put(String.valueOf(Manifest.at(e, "name")), String.valueOf(Manifest.at(e, "value")));
        }
        return env;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @Test
    void everyInferenceDeploymentRunsUnderThePriorityClassOnGpuNodesSpreadOverNodesAndZones() {
        Set<String> classes = Manifests.ofKind(all, "PriorityClass").stream().map(Manifest::name)
                .collect(Collectors.toSet());
        Manifest priority = find(all, "PriorityClass", "llm-inference");
        assertThat(((Number) priority.get("value")).intValue()).as("above default 0, below system classes")
                .isPositive().isLessThan(1_000_000_000);
        assertThat(priority.get("globalDefault")).isEqualTo(false);
        assertThat(httpServers()).hasSize(3).allSatisfy(d -> {
            Object pod = d.get("spec", "template", "spec");
            assertThat(classes).as(d + " priorityClassName").contains(String.valueOf(Manifest.at(pod,
                    "priorityClassName")));
            // The guide's selector and toleration stay; the affinity adds the on-demand preference.
            assertThat(Manifest.at(pod, "nodeSelector", "cloud.google.com/gke-accelerator")).as(d.toString())
                    .isNotNull();
            assertThat((List<?>) Manifest.at(pod, "tolerations")).anySatisfy(t ->
                    assertThat(Manifest.at(t, "key")).isEqualTo("nvidia.com/gpu"));
            assertThat(Manifest.at(pod, "affinity", "nodeAffinity",
                    "preferredDuringSchedulingIgnoredDuringExecution", 0, "preference", "matchExpressions", 0, "key"))
                    .isEqualTo("cloud.google.com/gke-spot");
            Map<String, Object> podLabels = map(d.get("spec", "template", "metadata", "labels"));
            List<?> spread = (List<?>) Manifest.at(pod, "topologySpreadConstraints");
            assertThat(spread).extracting(c -> Manifest.at(c, "topologyKey"))
                    .containsExactly("kubernetes.io/hostname", "topology.kubernetes.io/zone");
            assertThat(spread).extracting(c -> Manifest.at(c, "whenUnsatisfiable"))
                    .as("hard across nodes, soft across zones (scarce GPU capacity per zone)")
                    .containsExactly("DoNotSchedule", "ScheduleAnyway");
            assertThat(spread).allSatisfy(c -> {
                // A selector that matches no pod of this Deployment would spread nothing.
                Map<String, Object> selector = map(Manifest.at(c, "labelSelector", "matchLabels"));
                assertThat(podLabels).as(d + " spread selector").isNotEmpty().containsAllEntriesOf(selector);
                assertThat(Manifest.at(c, "matchLabelKeys")).isEqualTo(List.of("pod-template-hash"));
            });
        });
    }

    @Test
    void theInitContainerPreloadsIntoTheSharedSsdCacheTheServerLoadsFrom() {
        Manifest d = find(all, "Deployment", "llm-inference");
        Object pod = d.get("spec", "template", "spec");
        Object server = Manifest.at(pod, "containers", 0);
        Object init = Manifest.at(pod, "initContainers", 0);
        assertThat(Manifest.at(init, "name")).isEqualTo("model-preload");
        assertThat(Manifest.at(init, "image")).as("the same image").isEqualTo(Manifest.at(server, "image"));
        assertThat(Manifest.at(init, "args")).isEqualTo(List.of("preload"));
        assertThat(Manifest.at(init, "resources", "limits", "nvidia.com/gpu")).as("no GPU to download").isNull();
        Map<String, String> initEnv = env(init);
        Map<String, String> serverEnv = env(server);
        for (String name : List.of("MODEL_NAME", "MODEL_DIR", "MODEL_FETCH_SECONDS")) {
            assertThat(initEnv.get(name)).as(name + " of the init container and the server").isNotNull()
                    .isEqualTo(serverEnv.get(name));
        }
        // Both mount the same volume at MODEL_DIR.
        String dir = serverEnv.get("MODEL_DIR");
        for (Object c : List.of(init, server)) {
            assertThat((List<?>) Manifest.at(c, "volumeMounts")).anySatisfy(m -> {
                assertThat(Manifest.at(m, "mountPath")).isEqualTo(dir);
                assertThat(Manifest.at(m, "name")).isEqualTo("model-cache");
            });
        }
        Object volume = ((List<?>) Manifest.at(pod, "volumes")).stream()
                .filter(v -> "model-cache".equals(Manifest.at(v, "name"))).findFirst().orElseThrow();
        Manifest claim = find(all, "PersistentVolumeClaim",
                String.valueOf(Manifest.at(volume, "persistentVolumeClaim", "claimName")));
        assertThat(claim.get("metadata", "namespace")).isEqualTo(d.get("metadata", "namespace"));
        assertThat(claim.get("spec", "accessModes")).as("replicas on several nodes share it")
                .isEqualTo(List.of("ReadWriteMany"));
        Manifest storage = find(all, "StorageClass", String.valueOf(claim.get("spec", "storageClassName")));
        assertThat(storage.get("provisioner")).isEqualTo("filestore.csi.storage.gke.io");
        assertThat(storage.get("parameters", "tier")).as("Filestore's SSD tier").isEqualTo("premium");
        assertThat(storage.get("reclaimPolicy")).isEqualTo("Retain");
        // The image's user can write the cache.
        assertThat(Manifest.at(pod, "securityContext", "fsGroup")).isEqualTo(65532);
    }

    @Test
    void theK6ResourceRunsTheConfigMapsScriptOnFourRunnersAgainstTheService() throws IOException {
        Manifest k6 = find(all, "K6", "llm-load-test");
        assertThat(k6.get("spec", "parallelism")).isEqualTo(4);
        Manifest cm = find(all, "ConfigMap", String.valueOf(k6.get("spec", "script", "configMap", "name")));
        assertThat(cm.get("metadata", "namespace")).isEqualTo(k6.get("metadata", "namespace"));
        String file = String.valueOf(k6.get("spec", "script", "configMap", "file"));
        assertThat(map(cm.get("data"))).containsKey(file);
        String script = Files.readString(RepositoryLayout.deploy().resolve("k6/test.js"));
        assertThat(script).contains("/v1/completions", "/v1/chat/completions", "stream: true",
                "ramping-arrival-rate");
        // The runners' BASE_URL is the Service's http port.
        Manifest service = find(all, "Service", "llm-inference");
        Object http = ((List<?>) service.get("spec", "ports")).stream()
                .filter(p -> "http".equals(Manifest.at(p, "name"))).findFirst().orElseThrow();
        String url = ((List<?>) k6.get("spec", "runner", "env")).stream()
                .filter(e -> "BASE_URL".equals(Manifest.at(e, "name"))).map(e -> String.valueOf(Manifest.at(e,
                        "value"))).findFirst().orElseThrow();
        assertThat(url).isEqualTo("http://" + service.name() + "." + service.get("metadata", "namespace") + ".svc:"
                + Manifest.at(http, "port"));
    }
}
