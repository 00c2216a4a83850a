package dev.llmautoscale;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.testsupport.NullMarkedPackages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/DESIGN.md, read from the core's sources: public packages never import internal ones
 * (only the facade, {@code dev.llmautoscale}, wires them), the package graph has no cycle, and every package is
 * null-marked.
 */
class PackageLayoutTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(dev\\.llmautoscale[\\w.]*)\\.[\\w*]+;",
            Pattern.MULTILINE);

    /** Package to the project packages its sources import (a static import counts for its class's package). */
    private static Map<String, Set<String>> graph() throws IOException {
        assertThat(SOURCES).as("run from the module directory, as Maven does").isDirectory();
        Map<String, Set<String>> deps = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String text = Files.readString(file);
                Matcher p = PACKAGE.matcher(text);
                assertThat(p.find()).as("package of %s", file).isTrue();
                String pkg = p.group(1);
                Set<String> out = deps.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher i = IMPORT.matcher(text);
                while (i.find()) {
                    String target = i.group(1);
                    // a static import names a class: drop a trailing capitalised segment
                    if (Character.isUpperCase(target.charAt(target.lastIndexOf('.') + 1))) {
                        target = target.substring(0, target.lastIndexOf('.'));
                    }
                    if (!target.equals(pkg)) {
                        out.add(target);
                    }
                }
            }
        }
        return deps;
    }

    @Test
    void publicPackagesDoNotReachIntoInternalOnes() throws IOException {
        Map<String, Set<String>> deps = graph();
        assertThat(deps.keySet()).contains("dev.llmautoscale", "dev.llmautoscale.tracking",
                "dev.llmautoscale.internal.admission");
        deps.forEach((pkg, targets) -> {
            boolean internal = pkg.startsWith("dev.llmautoscale.internal");
            if (!internal && !pkg.equals("dev.llmautoscale")) {
                assertThat(targets).as("%s is API and must not depend on wiring", pkg)
                        .noneMatch(t -> t.startsWith("dev.llmautoscale.internal"));
            }
            if (internal) {
                assertThat(targets).as("%s must not depend on the facade", pkg).doesNotContain("dev.llmautoscale");
            }
        });
    }

    @Test
    void thePackageGraphHasNoCycle() throws IOException {
        Map<String, Set<String>> deps = graph();
        Map<String, Integer> state = new TreeMap<>();
        for (String pkg : deps.keySet()) {
            List<String> path = new ArrayList<>();
            assertThat(cycleFrom(pkg, deps, state, path)).as("cycle: %s", path).isFalse();
        }
    }

    private static boolean cycleFrom(String pkg, Map<String, Set<String>> deps, Map<String, Integer> state,
            List<String> path) {
        Integer s = state.get(pkg);
        if (s != null) {
            if (s == 1) {
                path.add(pkg);
                return true;
            }
            return false;
        }
        state.put(pkg, 1);
        path.add(pkg);
        for (String next : deps.getOrDefault(pkg, Set.of())) {
            if (cycleFrom(next, deps, state, path)) {
                return true;
            }
        }
        path.remove(path.size() - 1);
        state.put(pkg, 2);
        return false;
    }

    @Test
    void everyPackageIsNullMarked() throws IOException {
        assertThat(NullMarkedPackages.of(SOURCES)).isEqualTo(graph().keySet());
        assertThat(NullMarkedPackages.notNullMarked(SOURCES, getClass().getClassLoader())).isEmpty();
    }
}
