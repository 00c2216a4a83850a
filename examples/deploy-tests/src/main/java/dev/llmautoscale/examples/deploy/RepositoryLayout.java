package dev.llmautoscale.examples.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository, its deploy/ directory and the shared JSON Schemas are. */
public final class RepositoryLayout {

    private RepositoryLayout() {
    }

    /**
     * The repository root: the nearest directory, from the working directory up, whose pom.xml is the
     * llm-autoscale parent and which holds deploy/.
     *
     * @return the root
     */
    public static Path root() {
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
        for (Path p = start; p != null; p = p.getParent()) {
            Path pom = p.resolve("pom.xml");
            if (Files.isRegularFile(pom) && Files.isDirectory(p.resolve("deploy")) && isParentPom(pom)) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root (a directory with the llm-autoscale parent"
                + " pom.xml and deploy/) above " + start);
    }

    private static boolean isParentPom(Path pom) {
        try {
            return Files.readString(pom).contains("<artifactId>llm-autoscale-parent</artifactId>");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return the deploy/ directory
     */
    public static Path deploy() {
        return root().resolve("deploy");
    }

    /**
     * The shared JSON Schemas: {@code ../shared/schemas} from the repository root. They are reference material
     * outside the project and are never copied into it; a missing directory fails the test (CI always has it).
     *
     * @return the directory
     */
    public static Path schemas() {
        Path dir = root().resolve("../shared/schemas").normalize();
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("The Kubernetes JSON Schemas are missing: expected the directory " + dir
                    + " (../shared/schemas next to the repository root, as on CI, where /work/shared is mounted)."
                    + " The deploy/ manifests cannot be validated without it; the schemas are deliberately not"
                    + " copied into the project.");
        }
        return dir;
    }
}
