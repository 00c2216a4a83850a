package dev.llmautoscale.simulator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdapterRulesTest {

    @Test
    void theBundledRulesAreDeploysFile() throws IOException {
        byte[] deploy = Files.readAllBytes(Path.of("../deploy/hpa/prometheus-adapter-rules.yaml"));
        try (InputStream in = AdapterRules.class.getResourceAsStream(
                "/dev/llmautoscale/simulator/default-adapter-rules.yaml")) {
            assertThat(in.readAllBytes()).as("src/main/resources/.../default-adapter-rules.yaml must be a copy of"
                    + " deploy/hpa/prometheus-adapter-rules.yaml").isEqualTo(deploy);
        }
    }

    @Test
    void everyRuleServesItsNameWithTheAdaptersQuery() {
        AdapterRules rules = AdapterRules.bundled();
        assertThat(rules.rules()).extracting(AdapterRules.Rule::metricName).containsExactly("gpu_utilization",
                "inference_queue_depth", "requests_waiting", "requests_running", "kv_cache_utilization");
        assertThat(rules.forMetric("inference_queue_depth").query("ml-workloads", List.of("p-1", "p-2")))
                .isEqualTo("sum by (pod) (llm_inference_queue_depth{namespace=\"ml-workloads\",pod=~\"p-1|p-2\"})");
        assertThat(rules.forMetric("gpu_utilization").series()).isEqualTo("llm_gpu_utilization_percent");
        assertThat(rules.forMetric("nope")).isNull();
    }
}
