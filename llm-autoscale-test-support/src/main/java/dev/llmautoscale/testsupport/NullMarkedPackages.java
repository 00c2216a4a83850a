package dev.llmautoscale.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.NullMarked;

/**
 * The packages of a module's sources and whether each is null-marked: its compiled {@code package-info} carries
 * JSpecify's {@link NullMarked} (a runtime annotation, so the check reads the class the build produced, not the source
 * text). Every published module's tests assert that none of its main packages is left out.
 */
public final class NullMarkedPackages {

    /** A module's main sources, relative to the module directory (the working directory of its tests). */
    public static final Path MAIN_SOURCES = Path.of("src/main/java");

    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);

    private NullMarkedPackages() {
    }

    /**
     * The packages declared by the {@code .java} files under a source root.
     *
     * @param sources a source root, such as {@link #MAIN_SOURCES}
     * @return the package names, sorted
     * @throws AssertionError with a plain message when the root is not a directory or a file declares no package
     */
    public static SortedSet<String> of(Path sources) {
        if (!Files.isDirectory(sources)) {
            throw new AssertionError("No source directory " + sources.toAbsolutePath()
                    + ": run the test from its module directory, as Maven does");
        }
        SortedSet<String> packages = new TreeSet<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = PACKAGE.matcher(Files.readString(file));
                if (!m.find()) {
                    throw new AssertionError(file + " declares no package");
                }
                packages.add(m.group(1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the sources under " + sources, e);
        }
        return packages;
    }

    /**
     * The packages under a source root that are not null-marked, each with the reason.
     *
     * @param sources a source root, such as {@link #MAIN_SOURCES}
     * @param loader the class loader that sees the compiled classes of those sources
     * @return one line per package without a {@code package-info} class or whose {@code package-info} lacks
     *     {@code @NullMarked}; empty when every package is null-marked
     */
    public static List<String> notNullMarked(Path sources, ClassLoader loader) {
        List<String> problems = new ArrayList<>();
        for (String pkg : of(sources)) {
            Class<?> info;
            try {
                info = Class.forName(pkg + ".package-info", false, loader);
            } catch (ClassNotFoundException e) {
                problems.add(pkg + ": no package-info.java (it must carry @NullMarked and the package's Javadoc)");
                continue;
            }
            if (!info.isAnnotationPresent(NullMarked.class)) {
                problems.add(pkg + ": package-info.java is not annotated @NullMarked");
            }
        }
        return problems;
    }
}
