package dev.llmautoscale.simulator.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * Runs the simulator's command line in-process, as {@code main} does, with the given text on stdin, and captures
 * stdout, stderr and the exit code.
 */
final class Cli {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * The outcome of one run.
     *
     * @param exitCode the exit code
     * @param out      stdout
     * @param err      stderr
     */
    record Run(int exitCode, String out, String err) {

        /** @return stdout as JSON */
        JsonNode json() {
            try {
                return MAPPER.readTree(out);
            } catch (JsonProcessingException e) {
                throw new AssertionError("stdout is not JSON: " + out + " (stderr: " + err + ")", e);
            }
        }
    }

    private Cli() {
    }

    /**
     * @param stdin the input; single quotes become double quotes, to keep Java literals readable
     * @param args  the command line
     * @return what happened
     */
    static synchronized Run run(String stdin, String... args) {
        InputStream saved = System.in;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try {
            System.setIn(new ByteArrayInputStream(stdin.replace('\'', '"').getBytes(StandardCharsets.UTF_8)));
            CommandLine cli = SimulatorCli.commandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            int code = cli.execute(args);
            return new Run(code, out.toString(), err.toString());
        } finally {
            System.setIn(saved);
        }
    }
}
