package dev.llmautoscale.simulator.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

    private final SeriesStore store = new SeriesStore(3600);
    private final Evaluator eval = new Evaluator(store);

    private Evaluator.Value at(String q, double t) {
        return eval.eval(PromqlParser.parse(q), t);
    }

    private void counter(String pod, String status, double perSecond) {
        SeriesStore.Series s = store.series("llm_inference_requests_total",
                Map.of("pod", pod, "model", "llama-13b", "status", status));
        for (int t = 0; t <= 300; t += 15) {
            s.append(t, perSecond * t);
        }
    }

    @Test
    void rateOfACounterScrapedEvery15Seconds() {
        counter("a", "success", 2);
        counter("b", "success", 3);
        counter("a", "error", 1);
        List<Evaluator.Sample> v = at("rate(llm_inference_requests_total{model=\"llama-13b\",status=\"success\"}[2m])",
                300).vector();
        assertThat(v).hasSize(2);
        assertThat(v.get(0).value()).isCloseTo(2, within(1e-9));
        assertThat(v.get(0).labels()).doesNotContainKey("__name__").containsEntry("pod", "a");
        assertThat(at("sum(rate(llm_inference_requests_total{status=\"success\"}[2m]))", 300).vector().get(0).value())
                .isCloseTo(5, within(1e-9));
        assertThat(at("sum by (status) (increase(llm_inference_requests_total[1m]))", 300).vector()).hasSize(2);
    }

    @Test
    void rateExtrapolatesLikePrometheusAndHandlesResets() {
        SeriesStore.Series s = store.series("c_total", Map.of());
        s.append(10, 100);
        s.append(25, 130);
        s.append(40, 10); // reset
        s.append(55, 40);
        // Window (0, 60]: increase 30 + 10 + 30 = 70 over 45 s sampled; gaps to the edges 10 s and 5 s are within
        // 1.1 x 15 s, so it extrapolates to 60 s (the start is not capped by the zero point: 100/70*45 > 10).
        assertThat(at("increase(c_total[1m])", 60).vector().get(0).value()).isCloseTo(70 * 60 / 45.0, within(1e-9));
    }

    @Test
    void arithmeticMatchesOneToOneAndAggregates() {
        for (String pod : List.of("a", "b")) {
            store.series("nvidia_gpu_memory_used_bytes", Map.of("pod", pod, "gpu", "0"))
                    .append(10, pod.equals("a") ? 8 : 12);
            store.series("nvidia_gpu_memory_total_bytes", Map.of("pod", pod, "gpu", "0")).append(10, 16);
        }
        assertThat(at("avg(nvidia_gpu_memory_used_bytes / nvidia_gpu_memory_total_bytes * 100)", 20).vector().get(0)
                .value()).isCloseTo(62.5, within(1e-9));
        assertThat(at("max by (pod) (nvidia_gpu_memory_used_bytes) > 10", 20).vector()).hasSize(1);
        assertThat(at("2 * 3 + 1", 0).scalar()).isEqualTo(7);
    }

    @Test
    void staleAndOldSamplesAreNotReturned() {
        SeriesStore.Series s = store.series("q", Map.of("pod", "a"));
        s.append(0, 5);
        assertThat(at("q", 299).vector()).hasSize(1);
        assertThat(at("q", 301).vector()).isEmpty();
        s.markStale(100);
        assertThat(at("q", 150).vector()).isEmpty();
        assertThat(at("sum(q)", 150).vector()).isEmpty();
    }

    @Test
    void theAdapterTemplatesOfDeployParse() {
        assertThat(at("avg by (pod) (q{namespace=\"ml\",pod=~\"a|b\"})", 0).vector()).isEmpty();
    }

    @Test
    void unsupportedPartsAreNamed() {
        assertThatThrownBy(() -> PromqlParser.parse("histogram_quantile(0.9, rate(x[5m]))"))
                .hasMessageContaining("the function 'histogram_quantile' is not supported");
        assertThatThrownBy(() -> PromqlParser.parse("rate(x[5m] offset 1m)")).hasMessageContaining("offset");
        assertThatThrownBy(() -> PromqlParser.parse("a or b")).hasMessageContaining("'or'");
        assertThatThrownBy(() -> PromqlParser.parse("topk(3, x)")).hasMessageContaining("topk");
        assertThatThrownBy(() -> PromqlParser.parse("rate(x[-5m])")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> PromqlParser.parse("x / on(a) group_left b")).hasMessageContaining("group_left");
        assertThatThrownBy(() -> at("x[5m]", 0)).hasMessageContaining("range selector");
    }
}
