package dev.llmautoscale;

import dev.llmautoscale.tracking.InferenceSpan;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

class ScrapeSmokeTest {
    @Test
    void print() {
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        LlmAutoscale a = LlmAutoscale.builder(r).build();
        a.lifecycle().warmUp();
        try (InferenceSpan s = a.tracker().start("llama-13b")) {
            s.promptTokens(10).tokens(1).tokens(3);
            s.success();
        }
        a.tracker().kvCacheUtilization("llama-13b", 0.5);
        System.out.println(r.scrape());
    }
}
