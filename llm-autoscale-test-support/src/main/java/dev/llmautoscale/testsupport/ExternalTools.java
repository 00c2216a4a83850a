package dev.llmautoscale.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the external programs the tests run for real ({@code promtool}, {@code curl}, {@code gcc}, ...). A missing
 * one fails the test — never skips it — with a message naming the script that installs it.
 */
public final class ExternalTools {

    private ExternalTools() {
    }

    /**
     * @param name an executable name
     * @return its path on {@code PATH} (or in {@code /usr/bin})
     * @throws AssertionError when it is not installed
     */
    public static Path require(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : (path + File.pathSeparator + "/usr/bin").split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(name + " is not installed, and this test runs it for real. Run "
                + "scripts/install-test-deps.sh (as .ci/run does) before the tests; it installs promtool (Debian "
                + "package 'prometheus', which also has the server), redis-server, gcc, curl, wrk and node (Debian package 'nodejs').");
    }
}
