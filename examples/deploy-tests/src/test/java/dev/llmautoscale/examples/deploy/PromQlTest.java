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
}
