package dev.llmautoscale.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.gpu.GpuTelemetryOptions;
import dev.llmautoscale.testsupport.Promtool;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The exposition passes {@code promtool check metrics}. promtool is a required test tool: when it is missing the
 * test fails (it never skips) and says how to install it.
 */
class PromtoolTest {

    @Test
    void scrapeWithEveryGpuSeriesPassesPromtool() throws Exception {
        FakeNvml fake = FakeNvml.twoGpus()
                .set("gpu0.mig", 1).set("gpu0.mig.max", 2)
                .set("gpu0.mig1.uuid", "MIG-0f0f0f0f-1111-2222-3333-444444444444")
                .set("gpu0.mig1.name", "NVIDIA H100 80GB HBM3 MIG 7g.80gb")
                .set("gpu0.mig1.mem.total", 80_000_000_000L).set("gpu0.mig1.mem.free", 70_000_000_000L)
                .set("gpu0.mig1.mem.used", 10_000_000_000L)
                .set("gpu1.err.nvmlDeviceGetMemoryInfo_v2", 13);
        fake.apply();
        try (NvmlGpuTelemetry telemetry = NvmlGpuTelemetry.open(
                GpuTelemetryOptions.defaults().withLegacyExporterNames(true), NvmlEnvironment.of(Map.of()))
                .orElseThrow()) {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            telemetry.bindTo(registry);
            fake.set("gpu1.err.nvmlDeviceGetTemperature", 999).apply();
            telemetry.sampleNow();
            String text = registry.scrape();
            Scrape scrape = new Scrape(text);
            // Every family is in the text that promtool checks, including a NaN gauge and the error counter.
            for (String family : new String[] {"llm_gpu_device_memory_used_bytes", "llm_gpu_device_memory_total_bytes",
                    "llm_gpu_device_memory_free_bytes", "llm_gpu_utilization_percent", "llm_gpu_temperature_celsius",
                    "llm_gpu_power_watts", "llm_gpu_info", "llm_gpu_nvml_errors_total",
                    "nvidia_gpu_memory_used_bytes", "nvidia_gpu_memory_total_bytes"}) {
                assertThat(scrape.has(family)).as(family).isTrue();
            }
            assertThat(scrape.value("llm_gpu_temperature_celsius", "gpu", "1"))
                    .hasValueSatisfying(v -> assertThat(v).isNaN());
            assertThat(scrape.value("llm_gpu_device_memory_used_bytes", "gpu", "0:1")).contains(1e10);

            Promtool.Result lint = Promtool.checkMetrics(text);
            assertThat(lint.exitCode()).as("promtool check metrics said:%n%s%nabout:%n%s", lint.output(), text)
                    .isZero();
            assertThat(lint.output()).as("promtool lint findings").isBlank();
        }
    }
}
