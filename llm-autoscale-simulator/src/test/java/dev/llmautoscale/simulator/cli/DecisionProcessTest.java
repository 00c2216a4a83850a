package dev.llmautoscale.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The decision commands as a user runs them: a separate JVM started through {@code SimulatorCli.main}, JSON piped on
 * its stdin, the real exit code.
 */
class DecisionProcessTest {

    private record Result(int exitCode, String out, String err) {
    }

    private static Result run(String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(SimulatorCli.class.getName());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        // generous: a cold JVM on a busy 2-core machine
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the process ended").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.exitValue(), out, err);
    }

    @Test
    void pipesJsonThroughTheThreeCommands() throws Exception {
        Result decide = run("[{\"now\": 0, \"maxReplicas\": 100, \"currentReplicas\": 10, \"desiredReplicas\": 50},"
                + " {\"now\": 0, \"maxReplicas\": 8, \"currentReplicas\": 5, \"desiredReplicas\": 9}]", "hpa-decide");
        assertThat(decide.exitCode()).as(decide.err()).isZero();
        assertThat(decide.out().strip()).isEqualTo("[{\"replicas\":20,\"reason\":\"ScaleUpLimit\"},"
                + "{\"replicas\":8,\"reason\":\"TooManyReplicas\"}]");
        Result replicas = run("{\"currentReplicas\": 1, \"metrics\": [{\"type\": \"External\", \"external\": {\"metric\":"
                + " {\"name\": \"q\"}, \"target\": {\"type\": \"AverageValue\", \"averageValue\": \"5\"}}}], \"values\": {\"q\": 12}}",
                "hpa-replicas");
        assertThat(replicas.out().strip()).isEqualTo("{\"replicas\":3}");
        Result keda = run("{\"now\": 10, \"currentReplicas\": 0, \"triggers\": [{\"type\": \"redis\", \"value\": 2,"
                + " \"activationTarget\": 1}]}", "keda-decide");
        assertThat(keda.out().strip()).isEqualTo("{\"replicas\":1,\"active\":true,\"fallbackReplicas\":null}");
    }

    @Test
    void badInputExitsWith2AndOnlyAMessage() throws Exception {
        Result r = run("{\"now\": 0, \"maxReplicas\": 8, \"currentReplicas\": 5, \"desiredReplicas\": 9,"
                + " \"behavior\": {\"scaleUp\": {\"stabilizationWindowSeconds\": -1}}}", "hpa-decide");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).isEqualTo("error: -: behavior.scaleUp.stabilizationWindowSeconds: must be an integer"
                + " from 0 to 3600, not -1");
    }

    @Test
    void helpOnEachCommand() throws Exception {
        for (String command : List.of("hpa-decide", "hpa-replicas", "keda-decide")) {
            Result r = run("", command, "--help");
            assertThat(r.exitCode()).isZero();
            assertThat(r.out()).startsWith("Usage: llm-autoscale-simulator " + command).contains("--input=FILE")
                    .contains("Exit codes: 0 ok; 2 bad input");
            assertThat(r.err()).isEmpty();
        }
    }
}
