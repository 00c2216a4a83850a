package dev.llmautoscale.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Prometheus' own {@code promtool} (Debian package {@code prometheus}); fails when it is not installed. */
public final class Promtool {

    private static final long TIMEOUT_SECONDS = 60;

    private Promtool() {
    }

    /**
     * The outcome of one run.
     *
     * @param exitCode promtool's exit status
     * @param output what it printed (stdout and stderr)
     */
    public record Result(int exitCode, String output) {
    }

    /**
     * Lints an exposition with {@code promtool check metrics}, which reads it from standard input.
     *
     * @param exposition a scrape in the Prometheus text format
     * @return the result: exit status 0 and no output when promtool has nothing to say
     */
    public static Result checkMetrics(String exposition) throws IOException, InterruptedException {
        return execute(exposition, "check", "metrics");
    }

    /**
     * Lints an exposition and fails unless promtool exits 0 with no finding.
     *
     * @param exposition a scrape in the Prometheus text format
     * @return promtool's (empty) output
     * @throws AssertionError with promtool's findings
     */
    public static String assertClean(String exposition) throws IOException, InterruptedException {
        Result r = checkMetrics(exposition);
        if (r.exitCode() != 0 || !r.output().isBlank()) {
            throw new AssertionError("promtool check metrics found problems (exit " + r.exitCode() + "):\n"
                    + r.output());
        }
        return r.output();
    }

    /**
     * Runs promtool with arguments, such as {@code check rules file.yaml}.
     *
     * @param args the arguments after {@code promtool}
     * @return the result
     */
    public static Result run(String... args) throws IOException, InterruptedException {
        return execute(null, args);
    }

    private static Result execute(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ExternalTools.require("promtool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("promtool " + String.join(" ", args) + " did not finish in " + TIMEOUT_SECONDS
                    + " s");
        }
        return new Result(p.exitValue(), out);
    }
}
