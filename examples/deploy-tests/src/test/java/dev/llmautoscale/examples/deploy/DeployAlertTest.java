package dev.llmautoscale.examples.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.testsupport.Promtool;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The alerts of deploy/monitoring/prometheusrule.yaml under {@code promtool test rules}: for each alert, input series
 * that must fire it and series that must not (src/test/resources/promtool/alerts-test.yaml).
 */
class DeployAlertTest {

    private static Path prepare(Path dir) throws Exception {
        Manifest rule = DeploySchemaTest.find(Manifests.all(), "PrometheusRule", "llm-inference-alerts");
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Files.writeString(dir.resolve("alerts.yaml"), new Yaml(options).dump(Map.of("groups",
                rule.get("spec", "groups"))));
        Path tests = dir.resolve("alerts-test.yaml");
        try (InputStream in = DeployAlertTest.class.getResourceAsStream("/promtool/alerts-test.yaml")) {
            Files.copy(in, tests);
        }
        return tests;
    }

    private static Set<String> alertNames() {
        Manifest rule = DeploySchemaTest.find(Manifests.all(), "PrometheusRule", "llm-inference-alerts");
        Set<String> names = new TreeSet<>();
        for (Object g : (List<?>) rule.get("spec", "groups")) {
            for (Object r : (List<?>) Manifest.at(g, "rules")) {
                if (Manifest.at(r, "alert") != null) {
                    names.add(String.valueOf(Manifest.at(r, "alert")));
                }
            }
        }
        return names;
    }

    @Test
    void everyAlertFiresOnItsSeriesAndStaysQuietOnTheOthers(@TempDir Path dir) throws Exception {
        Path tests = prepare(dir);
        Promtool.Result r = Promtool.run("test", "rules", tests.toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    @Test
    void everyAlertHasAFiringAndAQuietCase(@TempDir Path dir) throws Exception {
        Object parsed = Manifests.parse(Files.readString(prepare(dir)));
        Set<String> fires = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        for (Object test : (List<?>) Manifest.at(parsed, "tests")) {
            // A test of recording rules only (promql_expr_test) has no alert cases.
            Object cases = Manifest.at(test, "alert_rule_test");
            for (Object c : cases instanceof List<?> l ? l : List.of()) {
                String name = String.valueOf(Manifest.at(c, "alertname"));
                if (((List<?>) Manifest.at(c, "exp_alerts")).isEmpty()) {
                    quiet.add(name);
                } else {
                    fires.add(name);
                }
            }
        }
        assertThat(alertNames()).hasSize(10);
        assertThat(fires).as("alerts with a firing case").isEqualTo(alertNames());
        // Every recording rule has an expected value somewhere.
        Set<String> checked = new TreeSet<>();
        for (Object test : (List<?>) Manifest.at(parsed, "tests")) {
            Object exprs = Manifest.at(test, "promql_expr_test");
            for (Object e : exprs instanceof List<?> l ? l : List.of()) {
                checked.add(String.valueOf(Manifest.at(e, "expr")));
            }
        }
        assertThat(checked).as("recording rules with a promql_expr_test")
                .containsAll(ManifestMetrics.recordedNames(Manifests.all()));
        assertThat(quiet).as("alerts with a quiet case").isEqualTo(alertNames());
    }

    @Test
    void promtoolFailsAWrongExpectation(@TempDir Path dir) throws Exception {
        Path tests = prepare(dir);
        Files.writeString(tests, Files.readString(tests).replace("pod: exported-at-zero, code: GPU_IS_LOST",
                "pod: born-at-one, code: GPU_IS_LOST"));
        Promtool.Result r = Promtool.run("test", "rules", tests.toString());
        assertThat(r.exitCode()).as(r.output()).isNotZero();
        assertThat(r.output()).contains("LLMGpuLost");
    }
}
