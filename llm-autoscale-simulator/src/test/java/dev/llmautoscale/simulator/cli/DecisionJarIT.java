package dev.llmautoscale.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The built jar, {@code target/llm-autoscale-simulator.jar}, run as a user runs it: {@code java -jar ... <command>}
 * with JSON piped on stdin (integration-test phase, after the shade plugin built the jar).
 */
class DecisionJarIT {

    private static final Path JAR = Path.of("target", "llm-autoscale-simulator.jar");

    private record Result(int exitCode, String out, String err) {
    }

    private static Result java(String stdin, String... args) throws IOException, InterruptedException {
        assertThat(JAR).as("the shaded jar (built by mvn package in llm-autoscale-simulator)").exists();
        List<String> cmd = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the process ended").isTrue();
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void theJarAnswersTheThreeDecisionCommands() throws Exception {
        Result decide = java("{\"now\": 1000, \"maxReplicas\": 100, \"currentReplicas\": 80, \"desiredReplicas\": 10,"
                + " \"behavior\": {\"scaleDown\": {\"policies\": [{\"type\": \"Pods\", \"value\": 4, \"periodSeconds\": 60},"
                + " {\"type\": \"Percent\", \"value\": 10, \"periodSeconds\": 60}]}}}", "hpa-decide");
        assertThat(decide.exitCode()).as(decide.err()).isZero();
        assertThat(decide.out().strip()).isEqualTo("{\"replicas\":72,\"reason\":\"ScaleDownLimit\"}");

        Result replicas = java("[{\"currentReplicas\": 1, \"metrics\": [{\"type\": \"Resource\", \"resource\": {\"name\": \"cpu\","
                + " \"target\": {\"type\": \"Utilization\", \"averageUtilization\": 50}}}], \"pods\": [{\"name\": \"php-apache-0\","
                + " \"metrics\": {\"cpu\": 0.61}, \"requests\": {\"cpu\": 0.2}}]}]", "hpa-replicas");
        assertThat(replicas.out().strip()).isEqualTo("[{\"replicas\":7}]");

        Result keda = java("{\"now\": 10000, \"currentReplicas\": 4, \"lastActiveTime\": 1000, \"triggers\": [{\"type\":"
                + " \"prometheus\", \"value\": 40, \"target\": 10, \"activationTarget\": 50}]}", "keda-decide");
        assertThat(keda.out().strip()).isEqualTo("{\"replicas\":0,\"active\":false,\"fallbackReplicas\":null}");
    }

    @Test
    void theJarRejectsBadInputWithExitCode2(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("decide.json");
        Files.writeString(file, "[{\"now\": 0, \"maxReplicas\": 3, \"currentReplicas\": 1, \"desiredReplicas\": 2},"
                + " {\"now\": 0, \"maxReplicas\": 3, \"currentReplicas\": 1}]");
        Result r = java("", "hpa-decide", "--input", file.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).isEqualTo("error: " + file + ": [1].desiredReplicas: is required (an integer >= 0)");
    }
}
