package dev.llmautoscale.examples.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The metric-name extraction the manifest checks rely on. */
class PromQlTest {

    @Test
    void findsMetricNamesAndSkipsFunctionsKeywordsLabelsAndDurations() {
        assertThat(PromQl.metricNames("avg(nvidia_gpu_memory_used_bytes / nvidia_gpu_memory_total_bytes * 100)"))
                .containsExactly("nvidia_gpu_memory_used_bytes", "nvidia_gpu_memory_total_bytes");
        assertThat(PromQl.metricNames("sum by (namespace, pod) (rate(a_total{status=\"x y\",le=~\"1|2\"}[5m]))"
                + " / ignoring(le) group_left(model) b offset 5m > 0.5 and on (pod) c:recorded"))
                .containsExactly("a_total", "b", "c:recorded");
        assertThat(PromQl.metricNames("histogram_quantile(0.95, sum by (le, model) (rate(h_bucket[5m]))) > 2e3"))
                .containsExactly("h_bucket");
        assertThat(PromQl.metricNames("max without (gpu) (x) == bool 1")).containsExactly("x");
        assertThat(PromQl.metricNames("sum(rate(llm_inference_requests_total{\n  model=\"llama-13b\",\n"
                + "  status=\"success\"\n}[2m]))")).containsExactly("llm_inference_requests_total");
    }

    @Test
    void findsMatchers() {
        assertThat(Selectors.matchers("sum(rate(r_total{reason=~\"a|b\", ns!=\"\"}[5m])) + g{state=\"ready\"}"))
                .containsExactly(new Selectors.Matcher("r_total", "reason", "=~", "a|b"),
                        new Selectors.Matcher("r_total", "ns", "!=", ""),
                        new Selectors.Matcher("g", "state", "=", "ready"));
    }

    @Test
    void theSignalOfAnAlertIsTheOperandLeftOfItsTopLevelComparison() {
        assertThat(PromQl.signal("sum by (pod) (x{a=\"b\"}) > 10")).isEqualTo("sum by (pod) (x{a=\"b\"})");
        assertThat(PromQl.signal("sum(rate(e{status=\"error\"}[5m]))\n  / sum(rate(e[5m])) > 0.05"))
                .isEqualTo("sum(rate(e{status=\"error\"}[5m]))\n  / sum(rate(e[5m]))");
        assertThat(PromQl.signal("max(s{state=~\"a|b\"}) == 1")).isEqualTo("max(s{state=~\"a|b\"})");
        assertThat(PromQl.signal("increase(c{code=\"X\",n!=\"\"}[10m]) >= 1")).isEqualTo("increase(c{code=\"X\",n!=\"\"}[10m])");
        assertThat(PromQl.signal("histogram_quantile(0.95, sum by (le) (rate(h[5m]))) > 2"))
                .isEqualTo("histogram_quantile(0.95, sum by (le) (rate(h[5m])))");
        assertThat(PromQl.signal("x{l=\">\"} < bool 3")).isEqualTo("x{l=\">\"}");
        assertThat(PromQl.signal("sum(x) / sum(y)")).isEqualTo("sum(x) / sum(y)");
    }

    @Test
    void readsEveryDashboardPanelWithItsVariablesFilled() {
        var queries = PromQl.dashboardQueries();
        assertThat(queries).hasSizeGreaterThanOrEqualTo(25).allSatisfy(q -> {
            assertThat(q.kind()).isEqualTo("dashboard");
            assertThat(q.expr()).doesNotContain("$");
        });
        assertThat(queries).extracting(PromQl.Query::expr).anySatisfy(e -> assertThat(e)
                .contains("llm_kv_cache_utilization_ratio{namespace=\"ml-workloads\"}"));
    }
}
