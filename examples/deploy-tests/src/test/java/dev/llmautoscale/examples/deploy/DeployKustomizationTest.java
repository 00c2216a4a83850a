package dev.llmautoscale.examples.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every directory of deploy/ has a {@code kustomization.yaml} ({@code kubectl apply -k deploy/<dir>}) that lists every
 * manifest of the directory, and only files that exist; generated ConfigMaps name existing files.
 */
class DeployKustomizationTest {

    private static List<String> strings(Object node) {
        List<String> out = new ArrayList<>();
        if (node instanceof List<?> list) {
            for (Object o : list) {
                out.add(String.valueOf(o));
            }
        }
        return out;
    }

    /** What is wrong with a directory's kustomization.yaml; empty when {@code kubectl apply -k} applies it all. */
    static List<String> problems(Path dir) throws IOException {
        List<String> problems = new ArrayList<>();
        String where = dir.getFileName() + "/" + Manifests.KUSTOMIZATION;
        Path file = dir.resolve(Manifests.KUSTOMIZATION);
        if (!Files.isRegularFile(file)) {
            return List.of(where + " is missing (kubectl apply -k needs it)");
        }
        if (!(Manifests.parse(Files.readString(file)) instanceof Map<?, ?> k)) {
            return List.of(where + " is not a YAML mapping");
        }
        if (!"kustomize.config.k8s.io/v1beta1".equals(k.get("apiVersion")) || !"Kustomization".equals(k.get("kind"))) {
            problems.add(where + ": apiVersion must be kustomize.config.k8s.io/v1beta1 and kind Kustomization");
        }
        TreeSet<String> manifests = new TreeSet<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") || n.endsWith(".yml"))
                    .filter(n -> !n.equals(Manifests.KUSTOMIZATION))
                    .forEach(manifests::add);
        }
        List<String> resources = strings(k.get("resources"));
        for (String r : resources) {
            if (!Files.isRegularFile(dir.resolve(r))) {
                problems.add(where + " lists " + r + ", which does not exist");
            }
        }
        for (String m : manifests) {
            if (!resources.contains(m)) {
                problems.add(where + " does not list " + m);
            }
        }
        if (resources.size() != new TreeSet<>(resources).size()) {
            problems.add(where + " lists a file twice: " + resources);
        }
        for (Object generator : k.get("configMapGenerator") instanceof List<?> l ? l : List.of()) {
            List<String> files = strings(Manifest.at(generator, "files"));
            if (files.isEmpty()) {
                problems.add(where + ": a configMapGenerator without files");
            }
            for (String f : files) {
                String path = f.contains("=") ? f.substring(f.indexOf('=') + 1) : f;
                if (!Files.isRegularFile(dir.resolve(path))) {
                    problems.add(where + ": configMapGenerator file " + path + " does not exist");
                }
            }
        }
        return problems;
    }

    @Test
    void everyDirectoryListsEachOfItsManifestsAndOnlyFilesThatExist() throws IOException {
        List<Path> dirs;
        try (Stream<Path> s = Files.list(RepositoryLayout.deploy())) {
            dirs = s.filter(Files::isDirectory).sorted().toList();
        }
        assertThat(dirs).extracting(d -> d.getFileName().toString()).contains("base", "hpa", "keda", "monitoring",
                "queue", "grafana");
        List<String> problems = new ArrayList<>();
        for (Path dir : dirs) {
            problems.addAll(problems(dir));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theCheckFindsAnUnlistedManifestAMissingFileAndAMissingIndex(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("x"));
        assertThat(problems(dir)).containsExactly("x/kustomization.yaml is missing (kubectl apply -k needs it)");
        Files.writeString(dir.resolve("a.yaml"), "kind: ConfigMap\n");
        Files.writeString(dir.resolve(Manifests.KUSTOMIZATION), "apiVersion: kustomize.config.k8s.io/v1beta1\n"
                + "kind: Kustomization\nresources:\n  - b.yaml\nconfigMapGenerator:\n  - name: d\n    files:\n"
                + "      - d.json\n");
        assertThat(problems(dir)).containsExactlyInAnyOrder("x/kustomization.yaml lists b.yaml, which does not exist",
                "x/kustomization.yaml does not list a.yaml",
                "x/kustomization.yaml: configMapGenerator file d.json does not exist");
    }
}
