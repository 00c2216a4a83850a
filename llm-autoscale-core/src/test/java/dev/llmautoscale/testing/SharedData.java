package dev.llmautoscale.testing;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Finds the reference material that lives in {@code ../shared} beside the clone (never copied into the project). */
public final class SharedData {

    private SharedData() {
    }

    /**
     * Resolves a path under {@code shared/} by walking up from the working directory; fails the test with a plain
     * message when the directory is absent (CI always has it).
     *
     * @param relative a path under shared/, such as {@code reference/guide-exporter-output.txt}
     * @return the existing file
     */
    public static Path require(String relative) {
        Path dir = Paths.get("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("shared").resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
            dir = dir.getParent();
        }
        return fail("Reference data shared/" + relative + " is absent: this test compares against ../shared beside "
                + "the clone (CI always provides it). Working directory: " + Paths.get("").toAbsolutePath());
    }
}
