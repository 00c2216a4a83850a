package dev.llmautoscale.examples.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.testsupport.Promtool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/** Every PromQL expression of deploy/ goes through the real promtool. */
class DeployPromQlTest {

    private static String dump(Object rules) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(options).dump(rules);
    }

    /** Writes the expressions as recording rules, so that promtool parses each. */
    private static Path rulesFile(Path dir, List<String> exprs) throws Exception {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (int i = 0; i < exprs.size(); i++) {
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("record", "deploy:query_" + i);
            rule.put("expr", exprs.get(i));
            rules.add(rule);
        }
        Path file = dir.resolve("queries-" + System.nanoTime() + ".yaml");
        Files.writeString(file, dump(Map.of("groups", List.of(Map.of("name", "deploy-queries", "rules", rules)))));
        return file;
    }

    @Test
    void everyKedaAdapterAndAlertQueryParses(@TempDir Path dir) throws Exception {
        List<PromQl.Query> queries = PromQl.queries(Manifests.all());
        assertThat(queries).extracting(PromQl.Query::kind).contains("keda", "adapter", "alert");
        assertThat(queries).hasSizeGreaterThanOrEqualTo(20);
        Promtool.Result r = Promtool.run("check", "rules", rulesFile(dir, queries.stream()
                .map(PromQl.Query::expr).toList()).toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: " + queries.size() + " rules found");
    }

    @Test
    void everyDashboardPanelQueryParses(@TempDir Path dir) throws Exception {
        List<PromQl.Query> queries = PromQl.dashboardQueries();
        Promtool.Result r = Promtool.run("check", "rules", rulesFile(dir, queries.stream()
                .map(PromQl.Query::expr).toList()).toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: " + queries.size() + " rules found");
    }

    @Test
    void thePrometheusRuleGroupsPassPromtool(@TempDir Path dir) throws Exception {
        Manifest rule = DeploySchemaTest.find(Manifests.all(), "PrometheusRule", "llm-inference-alerts");
        Path file = dir.resolve("alerts.yaml");
        Files.writeString(file, dump(Map.of("groups", rule.get("spec", "groups"))));
        Promtool.Result r = Promtool.run("check", "rules", file.toString());
        assertThat(r.exitCode()).as(r.output()).isZero();
        // 10 alerts and 4 recording rules
        assertThat(r.output()).contains("SUCCESS: 14 rules found");
    }

    @Test
    void promtoolRejectsABrokenQuery(@TempDir Path dir) throws Exception {
        Promtool.Result r = Promtool.run("check", "rules",
                rulesFile(dir, List.of("sum(rate(llm_inference_requests_total[2m])")).toString());
        assertThat(r.exitCode()).as(r.output()).isNotZero();
    }
}
