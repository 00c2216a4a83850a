package dev.llmautoscale.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code recommend} on the command line, from deploy/'s ScaledObject: a ready-to-apply ScaledObject on stdout with
 * the two summaries as comments, progress on stderr, the same output for the same seed, lint-clean, and bad options
 * refused with exit 2.
 */
class RecommendCommandTest {

    private static final Path DEPLOY = Path.of("..", "deploy");

    @TempDir
    Path dir;

    private CliRunner.Result recommend(String... extra) throws IOException {
        Path w = Files.writeString(dir.resolve("spike.yaml"),
                "type: spike\nbase: 1\npeak: 5\nat: 300\nlength: 600\nduration: 1500\n");
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("recommend", "-f",
                DEPLOY.resolve("keda/scaledobject.yaml").toString(), "-f",
                DEPLOY.resolve("base/deployment.yaml").toString(), "--workload", w.toString(),
                "--slo-p95-queue-wait-ms", "30000", "--max-refused-percent", "20"));
        args.addAll(java.util.List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    @Test
    void aScaledObjectComesBackAsAReadyToApplyScaledObject() throws IOException {
        Path out = dir.resolve("recommended.yaml");
        CliRunner.Result r = recommend("--budget", "30", "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.err()).contains("recommend: 10/30 runs, best ").contains("recommend: 30/30 runs");
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(r.out());
        assertThat(doc.get("kind").asText()).isEqualTo("ScaledObject");
        assertThat(doc.at("/metadata/namespace").asText()).isEqualTo("ml-workloads");
        assertThat(doc.at("/spec/scaleTargetRef/name").asText()).isEqualTo("llm-inference");
        assertThat(doc.at("/spec/triggers/0/type").asText()).isEqualTo("prometheus");
        assertThat(doc.at("/spec/triggers/0/metadata/query").asText()).startsWith("sum(llm_");
        assertThat(r.out()).contains("# 30 simulations; the recommended config meets the SLO")
                .containsPattern("(?m)^# +start +recommended$")
                .contains("# GPU-hours (nodes, billed)");
        assertThat(Files.readString(out)).isEqualTo(r.out().substring(0, r.out().indexOf("# 30 simulations")));

        CliRunner.Result lint = CliRunner.run("lint", "-f", out.toString(), "-f",
                DEPLOY.resolve("base/deployment.yaml").toString());
        assertThat(lint.exitCode()).as(lint.out()).isZero();

        CliRunner.Result again = recommend("--budget", "30");
        assertThat(again.out()).isEqualTo(r.out());
        CliRunner.Result otherSeed = recommend("--budget", "30", "--seed", "7");
        assertThat(otherSeed.exitCode()).isZero();
    }

    @Test
    void badOptionsExitTwo() throws IOException {
        CliRunner.Result budget = recommend("--budget", "1");
        assertThat(budget.exitCode()).isEqualTo(2);
        assertThat(budget.err()).contains("--budget").contains(">= 2");
        CliRunner.Result refused = recommend("--max-refused-percent", "120");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("--max-refused-percent");
    }
}
