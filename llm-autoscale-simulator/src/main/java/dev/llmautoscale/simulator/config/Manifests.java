package dev.llmautoscale.simulator.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Kubernetes documents given to the simulator ({@code -f} files, multi-document YAML), sorted by kind: the
 * autoscaler (an {@code autoscaling/v2} HorizontalPodAutoscaler or a KEDA ScaledObject) for the target, its
 * Deployment, and prometheus-adapter rules found in a ConfigMap.
 *
 * @param kind         "HorizontalPodAutoscaler" or "ScaledObject"
 * @param autoscaler   the autoscaler document
 * @param target       the scale target's name
 * @param deployment   the target's Deployment, or {@link DeploymentSpec#absent} when none was given
 * @param adapterRules prometheus-adapter rules found in the documents, or null
 * @param label        a short label for reports (the autoscaler's metadata.name)
 */
public record Manifests(String kind, ConfigNode autoscaler, String target, DeploymentSpec deployment,
                        AdapterRules adapterRules, String label) {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /**
     * Reads every document of a YAML file.
     *
     * @param file the file
     * @return one node per non-empty document
     */
    public static List<ConfigNode> readDocuments(Path file) {
        String name = file.toString();
        try {
            List<ConfigNode> docs = new ArrayList<>();
            try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(Files.newBufferedReader(file))) {
                while (it.hasNextValue()) {
                    JsonNode n = it.nextValue();
                    if (n != null && !n.isNull() && !n.isMissingNode()) {
                        docs.add(new ConfigNode(n, name, ""));
                    }
                }
            }
            return docs;
        } catch (NoSuchFileException e) {
            throw new ConfigException(name, "(file)", "no such file");
        } catch (JsonProcessingException e) {
            throw new ConfigException(name, "line " + e.getLocation().getLineNr(), "not valid YAML: "
                    + e.getOriginalMessage());
        } catch (IOException | UncheckedIOException e) {
            throw new ConfigException(name, "(file)", "cannot be read: " + e.getMessage());
        } catch (RuntimeException e) {
            if (e.getCause() instanceof JsonProcessingException j) {
                throw new ConfigException(name, "line " + j.getLocation().getLineNr(), "not valid YAML: "
                        + j.getOriginalMessage());
            }
            throw e;
        }
    }

    /**
     * Reads one YAML document (a fleet or workload file).
     *
     * @param file the file
     * @return its root
     */
    public static ConfigNode readSingle(Path file) {
        List<ConfigNode> docs = readDocuments(file);
        if (docs.size() > 1) {
            throw new ConfigException(file.toString(), "(file)", "expected one YAML document, found " + docs.size());
        }
        return docs.isEmpty() ? new ConfigNode(null, file.toString(), "") : docs.get(0);
    }

    /**
     * Loads the manifests and selects the autoscaler.
     *
     * @param files  the -f files
     * @param target the target name, or null for "the only autoscaler"
     * @return the selection
     */
    public static Manifests load(List<Path> files, String target) {
        List<ConfigNode> autoscalers = new ArrayList<>();
        List<ConfigNode> deployments = new ArrayList<>();
        AdapterRules rules = null;
        for (Path f : files) {
            for (ConfigNode doc : readDocuments(f)) {
                if (!doc.raw().isObject()) {
                    throw doc.fail("expected a Kubernetes object (a mapping with kind)");
                }
                String kind = doc.string("kind", "");
                switch (kind) {
                    case "HorizontalPodAutoscaler" -> {
                        String api = doc.string("apiVersion", "");
                        if (!api.equals("autoscaling/v2")) {
                            throw doc.get("apiVersion").fail("'" + api + "' is not supported; allowed: autoscaling/v2");
                        }
                        autoscalers.add(doc);
                    }
                    case "ScaledObject" -> autoscalers.add(doc);
                    case "Deployment" -> deployments.add(doc);
                    case "ConfigMap" -> {
                        AdapterRules r = AdapterRules.fromConfigMap(doc);
                        if (r != null) {
                            rules = r;
                        }
                    }
                    default -> {
                        // Services, PDBs, monitors ...: not part of the simulation.
                    }
                }
            }
        }
        if (autoscalers.isEmpty()) {
            throw new ConfigException(files.isEmpty() ? "(none)" : files.get(0).toString(), "kind",
                    "no HorizontalPodAutoscaler (autoscaling/v2) or ScaledObject (keda.sh/v1alpha1) in the files");
        }
        ConfigNode chosen = null;
        List<String> names = new ArrayList<>();
        for (ConfigNode a : autoscalers) {
            ConfigNode ref = a.get("spec").get("scaleTargetRef");
            if (ref.isAbsent() || !ref.has("name")) {
                throw ref.get("name").fail("missing: the " + a.string("kind", "") + " '"
                        + a.get("metadata").string("name", "") + "' has no scale target; allowed: the name of a"
                        + " Deployment");
            }
            String t = ref.get("name").text();
            names.add(t);
            if (target == null ? autoscalers.size() == 1 : t.equals(target)) {
                chosen = a;
            }
        }
        if (chosen == null) {
            throw new ConfigException(autoscalers.get(0).file(), "spec.scaleTargetRef.name", target == null
                    ? "several autoscalers (targets " + names + "); choose one with --target NAME"
                    : "no autoscaler targets '" + target + "'; targets in the files: " + names);
        }
        String targetName = chosen.get("spec").get("scaleTargetRef").get("name").text();
        DeploymentSpec dep = DeploymentSpec.absent(targetName);
        for (ConfigNode d : deployments) {
            if (targetName.equals(d.get("metadata").string("name", ""))) {
                dep = DeploymentSpec.parse(d);
            }
        }
        return new Manifests(chosen.string("kind", ""), chosen, targetName, dep, rules,
                chosen.get("metadata").string("name", targetName));
    }

    /** @return the namespace: the autoscaler's, else the Deployment's, else default */
    public String namespace() {
        String ns = autoscaler.get("metadata").string("namespace", "");
        if (ns.isEmpty()) {
            ns = deployment.namespace();
        }
        return ns.isEmpty() ? "default" : ns;
    }
}
