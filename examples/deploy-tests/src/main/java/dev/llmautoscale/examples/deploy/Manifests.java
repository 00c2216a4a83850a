package dev.llmautoscale.examples.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Every YAML document under deploy/ (the Kubernetes objects; not the kustomization.yaml files that list them). */
public final class Manifests {

    /** The file name of a directory's Kustomize index, read by {@code kubectl apply -k}. */
    public static final String KUSTOMIZATION = "kustomization.yaml";

    private Manifests() {
    }

    /**
     * @return the YAML files under deploy/ other than {@code kustomization.yaml}, sorted
     */
    public static List<Path> files() {
        Path deploy = RepositoryLayout.deploy();
        try (Stream<Path> s = Files.walk(deploy)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .filter(p -> !p.getFileName().toString().equals(KUSTOMIZATION))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses every document (safe constructor: plain maps, lists and scalars).
     *
     * @return the documents, in file order
     */
    @SuppressWarnings("unchecked")
    public static List<Manifest> all() {
        Path deploy = RepositoryLayout.deploy();
        List<Manifest> out = new ArrayList<>();
        for (Path file : files()) {
            Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                int i = 0;
                for (Object doc : yaml.loadAll(r)) {
                    if (doc == null) {
                        continue;
                    }
                    if (!(doc instanceof Map)) {
                        throw new IllegalStateException("deploy/" + deploy.relativize(file) + " document " + (i + 1)
                                + " is not a mapping");
                    }
                    out.add(new Manifest(deploy.relativize(file), i++, (Map<String, Object>) doc));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /**
     * @param all the documents
     * @param kind a kind
     * @return the documents of that kind
     */
    public static List<Manifest> ofKind(List<Manifest> all, String kind) {
        return all.stream().filter(m -> m.kind().equals(kind)).toList();
    }

    /**
     * Parses a YAML string (such as a ConfigMap's embedded configuration).
     *
     * @param text the YAML
     * @return the value
     */
    public static Object parse(String text) {
        return new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    }
}
