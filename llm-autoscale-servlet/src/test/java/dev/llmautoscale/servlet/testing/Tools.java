package dev.llmautoscale.servlet.testing;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/** External tools the tests run for real: {@code curl} (the guide's preStop loop) and {@code promtool}. */
public final class Tools {

    private Tools() {
    }

    /**
     * @param name an executable name
     * @return its path on PATH; fails the test, naming the install script, when it is missing
     */
    public static String require(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Paths.get(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return fail(name + " is not installed, and this test runs it for real. Run scripts/install-test-deps.sh "
                + "(Debian packages: curl, and prometheus for promtool) before the tests.");
    }

    /**
     * Runs {@code promtool check metrics} on a text-format exposition.
     *
     * @param exposition the scrape
     * @return the exit code and promtool's output
     */
    public static Result promtoolCheckMetrics(String exposition) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(require("promtool"), "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("promtool did not finish within 60 s");
        }
        return new Result(p.exitValue(), out);
    }

    /**
     * @param exitCode the exit code
     * @param output what the tool printed
     */
    public record Result(int exitCode, String output) {
    }
}
