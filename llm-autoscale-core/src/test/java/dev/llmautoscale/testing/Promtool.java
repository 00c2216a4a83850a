package dev.llmautoscale.testing;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;

/** Runs Prometheus' {@code promtool check metrics} on an exposition. */
public final class Promtool {

    private Promtool() {
    }

    /**
     * @param exposition a text-format scrape
     * @return promtool's combined output and exit code, as "exit=N\n..."
     */
    public static Result checkMetrics(String exposition) throws IOException, InterruptedException {
        String binary = locate();
        Process p = new ProcessBuilder(binary, "check", "metrics").redirectErrorStream(true).start();
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

    private static String locate() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Paths.get(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return fail("promtool is not installed. It comes with Debian's 'prometheus' package; run "
                + "scripts/install-test-deps.sh (as .ci/run does) before the tests.");
    }

    /**
     * @param exitCode promtool's exit code
     * @param output what it printed
     */
    public record Result(int exitCode, String output) {
    }
}
