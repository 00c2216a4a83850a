package dev.llmautoscale.examples.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every YAML document in deploy/ against the JSON Schema of its kind, from the shared schema directory (the strict
 * kubeconform schemas for built-in kinds, the datree CRD catalog for KEDA, VPA and prometheus-operator kinds).
 */
class DeploySchemaTest {

    /** Schema file by "apiVersion kind". A document of any other kind fails the test. */
    static final Map<String, String> SCHEMAS = Map.ofEntries(
            Map.entry("apps/v1 Deployment", "deployment-apps-v1.json"),
            Map.entry("v1 Service", "service-v1.json"),
            Map.entry("v1 ConfigMap", "configmap-v1.json"),
            Map.entry("policy/v1 PodDisruptionBudget", "poddisruptionbudget-policy-v1.json"),
            Map.entry("autoscaling/v2 HorizontalPodAutoscaler", "horizontalpodautoscaler-autoscaling-v2.json"),
            Map.entry("keda.sh/v1alpha1 ScaledObject", "keda-scaledobject-v1alpha1.json"),
            Map.entry("keda.sh/v1alpha1 TriggerAuthentication", "keda-triggerauthentication-v1alpha1.json"),
            Map.entry("autoscaling.k8s.io/v1 VerticalPodAutoscaler", "vpa-verticalpodautoscaler-v1.json"),
            Map.entry("monitoring.coreos.com/v1 ServiceMonitor", "servicemonitor-v1.json"),
            Map.entry("monitoring.coreos.com/v1 PodMonitor", "podmonitor-v1.json"),
            Map.entry("monitoring.coreos.com/v1 PrometheusRule", "prometheusrule-v1.json"),
            Map.entry("v1 PersistentVolumeClaim", "persistentvolumeclaim-v1.json"),
            Map.entry("storage.k8s.io/v1 StorageClass", "storageclass-storage-v1.json"),
            Map.entry("scheduling.k8s.io/v1 PriorityClass", "priorityclass-scheduling-v1.json"),
            Map.entry("k6.io/v1alpha1 K6", "k6-k6-v1alpha1.json"));

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, JsonSchema> loaded = new HashMap<>();

    /** The kubeconform files' declared meta-schema: "the latest draft", which no validator resolves offline. */
    static final String KUBECONFORM_META_SCHEMA = "http://json-schema.org/schema#";
    /**
     * Kubernetes' OpenAPI extensions in the schemas. They describe merge strategies, list semantics and CEL rules for
     * the API server; they assert nothing a JSON Schema validator can check, so they are registered as annotations
     * (x-kubernetes-validations CEL rules are therefore not evaluated here).
     */
    static final List<String> KUBERNETES_KEYWORDS = List.of("x-kubernetes-group-version-kind",
            "x-kubernetes-int-or-string", "x-kubernetes-list-map-keys", "x-kubernetes-list-type",
            "x-kubernetes-map-type", "x-kubernetes-patch-merge-key", "x-kubernetes-patch-strategy",
            "x-kubernetes-unions", "x-kubernetes-validations", "x-kubernetes-preserve-unknown-fields",
            "x-kubernetes-embedded-resource");

    /**
     * The kubeconform files are generated from Kubernetes' OpenAPI v2 and use only draft-04 keywords, so their
     * {@code "$schema": "http://json-schema.org/schema#"} is read as draft-04. The CRD catalog files declare nothing
     * and are read as draft-07 (they use no keyword whose meaning differs between the two drafts).
     */
    private static final JsonSchemaFactory DRAFT4 = factory(SpecVersion.VersionFlag.V4, JsonMetaSchema.getV4(),
            KUBECONFORM_META_SCHEMA);
    private static final JsonSchemaFactory DRAFT7 = factory(SpecVersion.VersionFlag.V7, JsonMetaSchema.getV7(),
            JsonMetaSchema.getV7().getIri());

    private static JsonSchemaFactory factory(SpecVersion.VersionFlag version, JsonMetaSchema blueprint, String iri) {
        JsonMetaSchema meta = JsonMetaSchema.builder(iri, blueprint)
                .keywords(KUBERNETES_KEYWORDS.stream().map(NonValidationKeyword::new).toList())
                .build();
        return JsonSchemaFactory.builder(JsonSchemaFactory.getInstance(version))
                .defaultMetaSchemaIri(iri)
                .metaSchema(meta)
                .build();
    }

    private JsonSchema schema(String file) {
        return loaded.computeIfAbsent(file, f -> {
            try {
                JsonNode node = JSON.readTree(Files.readString(RepositoryLayout.schemas().resolve(f)));
                JsonNode declared = node.get("$schema");
                if (declared == null) {
                    return DRAFT7.getSchema(node);
                }
                assertThat(declared.asText()).as("$schema of " + f).isEqualTo(KUBECONFORM_META_SCHEMA);
                return DRAFT4.getSchema(node);
            } catch (IOException e) {
                return fail("cannot read schema " + f + ": " + e);
            }
        });
    }

    private Set<String> validate(Manifest m) {
        String file = SCHEMAS.get(m.apiVersion() + " " + m.kind());
        if (file == null) {
            return Set.of("no JSON Schema for apiVersion " + m.apiVersion() + ", kind " + m.kind()
                    + " in the shared schema directory: use a kind listed in DeploySchemaTest.SCHEMAS");
        }
        return messages(schema(file).validate(JSON.valueToTree(m.body())));
    }

    private static Set<String> messages(Set<ValidationMessage> errors) {
        return errors.stream().map(ValidationMessage::getMessage).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void everyDocumentMatchesTheSchemaOfItsKind() {
        RepositoryLayout.schemas();
        List<Manifest> all = Manifests.all();
        List<String> problems = new ArrayList<>();
        for (Manifest m : all) {
            Set<String> errors = validate(m);
            if (!errors.isEmpty()) {
                problems.add(m + ":\n    " + String.join("\n    ", errors));
            }
        }
        assertThat(problems).as("schema violations in deploy/").isEmpty();
        // Everything the issue asks for is there (and nothing was silently skipped).
        assertThat(all.stream().map(Manifest::kind).collect(Collectors.toSet())).containsExactlyInAnyOrder(
                "Deployment", "Service", "ConfigMap", "PodDisruptionBudget", "HorizontalPodAutoscaler",
                "ScaledObject", "VerticalPodAutoscaler", "ServiceMonitor", "PodMonitor", "PrometheusRule",
                "PersistentVolumeClaim", "StorageClass", "PriorityClass", "K6");
        assertThat(Manifests.files()).hasSizeGreaterThanOrEqualTo(12);
    }

    @Test
    void theSchemasRejectWhatTheApiServerWouldReject() {
        List<Manifest> all = Manifests.all();
        Manifest deployment = find(all, "Deployment", "llm-inference");
        // A misspelt probe field (strict schema: no unknown fields).
        Manifest typo = mutate(deployment, body -> {
            Map<String, Object> container = map(Manifest.at(body, "spec", "template", "spec", "containers", 0));
            container.put("readynessProbe", container.remove("readinessProbe"));
        });
        assertThat(validate(typo)).anySatisfy(e -> assertThat(e).contains("readynessProbe"));
        // YAML 1.1 turns an unquoted Off into false; the VPA's updateMode must be a string.
        Manifest vpa = mutate(find(all, "VerticalPodAutoscaler", "llm-inference-vpa"),
                body -> map(Manifest.at(body, "spec", "updatePolicy")).put("updateMode", false));
        assertThat(validate(vpa)).anySatisfy(e -> assertThat(e).contains("updateMode"));
        // KEDA trigger metadata values are strings: an unquoted threshold is refused.
        Manifest keda = mutate(find(all, "ScaledObject", "llm-inference-scaler"),
                body -> map(Manifest.at(body, "spec", "triggers", 0, "metadata")).put("threshold", 80));
        assertThat(validate(keda)).anySatisfy(e -> assertThat(e).contains("threshold"));
        // An HPA metric without a target.
        Manifest hpa = mutate(find(all, "HorizontalPodAutoscaler", "llm-inference-hpa"),
                body -> map(Manifest.at(body, "spec", "metrics", 0, "pods")).remove("target"));
        assertThat(validate(hpa)).anySatisfy(e -> assertThat(e).contains("target"));
        // The K6 resource needs its parallelism; a misspelt topology spread field is refused.
        Manifest k6 = mutate(find(all, "K6", "llm-load-test"), body -> map(body.get("spec")).remove("parallelism"));
        assertThat(validate(k6)).anySatisfy(e -> assertThat(e).contains("parallelism"));
        Manifest spread = mutate(deployment, body -> map(Manifest.at(body, "spec", "template", "spec",
                "topologySpreadConstraints", 0)).put("whenUnsatisfiabl", "DoNotSchedule"));
        assertThat(validate(spread)).anySatisfy(e -> assertThat(e).contains("whenUnsatisfiabl"));
        // A PriorityClass value is an integer.
        Manifest priority = mutate(find(all, "PriorityClass", "llm-inference"), body -> body.put("value", "high"));
        assertThat(validate(priority)).anySatisfy(e -> assertThat(e).contains("value"));
        // A document of a kind without a schema.
        Manifest unknown = new Manifest(Path.of("x.yaml"), 0,
                Map.of("apiVersion", "k6.io/v1alpha1", "kind", "TestRun"));
        assertThat(validate(unknown)).singleElement().asString().contains("no JSON Schema");
    }

    static Manifest find(List<Manifest> all, String kind, String name) {
        return all.stream().filter(m -> m.kind().equals(kind) && m.name().equals(name)).findFirst()
                .orElseGet(() -> fail("deploy/ has no " + kind + " named " + name));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static Manifest mutate(Manifest m, java.util.function.Consumer<Map<String, Object>> change) {
        Map<String, Object> copy = JSON.convertValue(m.body(), Map.class);
        change.accept(copy);
        return new Manifest(m.file(), m.index(), copy);
    }
}
