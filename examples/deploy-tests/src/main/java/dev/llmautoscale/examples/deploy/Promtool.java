package dev.llmautoscale.examples.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code promtool}; fails with a clear message when it is not installed. */
public final class Promtool {

    private Promtool() {
    }

    /**
     * @return the promtool executable
     */
    public static Path executable() {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                candidates.add(Path.of(dir, "promtool"));
            }
        }
        candidates.add(Path.of("/usr/bin/promtool"));
        for (Path p : candidates) {
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        throw new IllegalStateException("promtool is not installed (Debian package 'prometheus'); the PromQL of"
                + " deploy/ is checked with it. Run scripts/install-test-deps.sh.");
    }

    /**
     * The result of one run.
     *
     * @param exitCode the exit status
     * @param output stdout and stderr
     */
    public record Result(int exitCode, String output) {
    }

    /**
     * Lints an exposition with {@code promtool check metrics} (which reads it from standard input).
     *
     * @param exposition a scrape in the Prometheus text format
     * @return the result: exit status 0 and no output when there is nothing to say
     * @throws IOException when promtool cannot be started
     * @throws InterruptedException when interrupted
     */
    public static Result checkMetrics(String exposition) throws IOException, InterruptedException {
        Path input = Files.createTempFile("scrape", ".prom");
        try {
            Files.writeString(input, exposition, StandardCharsets.UTF_8);
            Process p = new ProcessBuilder(executable().toString(), "check", "metrics").redirectErrorStream(true)
                    .redirectInput(input.toFile()).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("promtool check metrics did not finish in 60 s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(input);
        }
    }

    /**
     * @param args the arguments after {@code promtool}
     * @return the result
     * @throws IOException when it cannot be started
     * @throws InterruptedException when interrupted
     */
    public static Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable().toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("promtool " + String.join(" ", args) + " did not finish in 60 s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
