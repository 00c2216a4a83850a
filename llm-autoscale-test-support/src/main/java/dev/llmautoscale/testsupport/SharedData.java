package dev.llmautoscale.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the reference material that lives in {@code ../shared} beside the clone (the guide's exporter output, the
 * Kubernetes JSON Schemas). It is never copied into the project; CI always has it.
 */
public final class SharedData {

    private SharedData() {
    }

    /**
     * Resolves a path under {@code shared/} by walking up from the working directory.
     *
     * @param relative a path under shared/, such as {@code reference/guide-exporter-output.txt}
     * @return the existing file or directory
     * @throws AssertionError with a plain message when it is absent
     */
    public static Path require(String relative) {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("Reference data shared/" + relative + " is absent: this test reads ../shared beside "
                + "the clone (CI always provides it; it is never copied into the project). Searched upwards from "
                + start);
    }
}
