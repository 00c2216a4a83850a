package dev.llmautoscale.spring.app;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs Prometheus' {@code promtool check metrics} on a scrape; fails (never skips) when promtool is missing. */
final class Promtool {

    private Promtool() {
    }

    /**
     * @param exposition a text-format scrape
     * @return what promtool printed, after asserting that it found no problem
     */
    static String check(String exposition) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(locate(), "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("promtool did not finish within 60 s");
        }
        if (p.exitValue() != 0 || !out.isBlank()) {
            fail("promtool check metrics found problems (exit " + p.exitValue() + "):\n" + out);
        }
        return out;
    }

    private static String locate() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return fail("promtool is not installed; it comes with Debian's 'prometheus' package. Run "
                + "scripts/install-test-deps.sh before the tests.");
    }
}
