package dev.llmautoscale.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmautoscale.testsupport.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lint} on the command line: every autoscaler in deploy/ with its Deployment is clean (exit 0), the guide's
 * manifests are not (exit 1, one finding per problem, as text and JSON), unreadable input exits 2.
 */
class LintCommandTest {

    private static final Path DEPLOY = Path.of("..", "deploy");
    private static final Path EXAMPLES = Path.of("examples");

    @TempDir
    Path dir;

    private static CliRunner.Result lint(Object... args) {
        List<String> a = new ArrayList<>(List.of("lint"));
        for (Object o : args) {
            a.add(o.toString());
        }
        return CliRunner.run(a.toArray(String[]::new));
    }

    @Test
    void everyAutoscalerInDeployIsCleanWithItsDeployment() {
        Path deployment = DEPLOY.resolve("base/deployment.yaml");
        Path rules = DEPLOY.resolve("hpa/prometheus-adapter-rules.yaml");
        Path models = DEPLOY.resolve("multi-model/deployments.yaml");
        List<CliRunner.Result> runs = List.of(
                lint("-f", DEPLOY.resolve("hpa/hpa.yaml"), "-f", deployment, "-f", rules),
                lint("-f", DEPLOY.resolve("keda/scaledobject.yaml"), "-f", deployment),
                lint("-f", DEPLOY.resolve("keda/multi-model.yaml"), "-f", models, "--target", "llama-13b-inference"),
                lint("-f", DEPLOY.resolve("keda/multi-model.yaml"), "-f", models, "--target", "llama-70b-inference",
                        "--fleet", EXAMPLES.resolve("fleet-llama-70b.yaml")),
                // the queue worker's ScaledObject, whose jobs-in-hand trigger reads the worker's own family
                lint("-f", DEPLOY.resolve("queue/scaledobject.yaml"), "-f", DEPLOY.resolve("queue/deployment.yaml")));
        for (CliRunner.Result r : runs) {
            assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).isEqualTo("lint: no findings\n");
        }
        // deploy/ lists every autoscaler it ships: a new one must be added above.
        try (var files = Files.walk(DEPLOY)) {
            long autoscalerFiles = files.filter(p -> p.toString().endsWith(".yaml")).filter(p -> {
                try {
                    String s = Files.readString(p);
                    return s.contains("kind: HorizontalPodAutoscaler") || s.contains("kind: ScaledObject");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).count();
            assertThat(autoscalerFiles).isEqualTo(4);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theGuidesManifestsHaveFindingsWithFileFieldProblemAndFix() throws IOException {
        Path hpa = SharedData.require("reference/guide-configs/hpa.yaml");
        Path deployment = SharedData.require("reference/guide-configs/deployment.yaml");
        CliRunner.Result text = lint("-f", hpa, "-f", deployment);
        assertThat(text.exitCode()).isEqualTo(1);
        assertThat(text.out()).contains("target-always-exceeded  " + hpa + " HorizontalPodAutoscaler/llm-inference-hpa:"
                + " spec.metrics[0].resource.target.averageUtilization")
                .contains("prestop-takes-grace-period  " + deployment + " Deployment/llm-inference:"
                        + " spec.template.spec.terminationGracePeriodSeconds")
                .contains("  problem: ").contains("  fix:     ").endsWith("lint: 4 findings\n");

        CliRunner.Result json = lint("-f", hpa, "-f", deployment, "--format", "json");
        assertThat(json.exitCode()).isEqualTo(1);
        JsonNode root = new ObjectMapper().readTree(json.out());
        assertThat(root.get("count").asInt()).isEqualTo(4);
        List<String> rules = new ArrayList<>();
        for (JsonNode f : root.get("findings")) {
            rules.add(f.get("rule").asText());
            for (String field : List.of("file", "object", "field", "problem", "fix")) {
                assertThat(f.get(field).asText()).as(field).isNotBlank();
            }
        }
        assertThat(rules).containsExactly("target-always-exceeded", "scale-up-faster-than-cold-start",
                "prestop-takes-grace-period", "ready-before-loaded");

        CliRunner.Result keda = lint("-f", SharedData.require("reference/guide-configs/keda-multi-model.yaml"));
        assertThat(keda.exitCode()).isEqualTo(1);
        assertThat(keda.out()).contains("scale-from-zero-never-activates").contains("ScaledObject/llama-70b-scaler");
    }

    @Test
    void anHpaAndAScaledObjectForOneDeploymentAreEachLinted() {
        Path deployment = SharedData.require("reference/guide-configs/deployment.yaml");
        CliRunner.Result r = lint("-f", SharedData.require("reference/guide-configs/hpa.yaml"), "-f",
                SharedData.require("reference/guide-configs/keda-redis.yaml"), "-f", deployment);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains("target-always-exceeded").contains("HorizontalPodAutoscaler/llm-inference-hpa")
                .contains("ScaledObject/llm-inference-scaler: spec.advanced.horizontalPodAutoscalerConfig.behavior"
                        + ".scaleUp");
        // The Deployment's findings once, not once per autoscaler.
        assertThat(r.out().split("prestop-takes-grace-period", -1)).hasSize(2);
        CliRunner.Result deploy = lint("-f", DEPLOY.resolve("hpa/hpa.yaml"), "-f",
                DEPLOY.resolve("keda/scaledobject.yaml"), "-f", DEPLOY.resolve("base/deployment.yaml"));
        assertThat(deploy.exitCode()).as(deploy.out()).isZero();
    }

    @Test
    void unreadableInputExitsTwoWithFileAndField() throws IOException {
        CliRunner.Result missing = lint("-f", dir.resolve("nope.yaml"));
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).startsWith("error: ").contains("nope.yaml").contains("no such file")
                .doesNotContain("Exception");
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "kind: ScaledObject\napiVersion: keda.sh/v1alpha1\n"
                + "spec:\n  scaleTargetRef: {name: x}\n  triggers:\n  - type: prometheus\n    metadata:\n"
                + "      threshold: '1'\n      query: 'sum(('\n");
        CliRunner.Result r = lint("-f", bad);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("bad.yaml").contains("spec.triggers[0].metadata.query");
        CliRunner.Result format = lint("-f", bad, "--format", "xml");
        assertThat(format.exitCode()).isEqualTo(2);
        assertThat(format.err()).contains("--format").contains("text, json");
    }
}
