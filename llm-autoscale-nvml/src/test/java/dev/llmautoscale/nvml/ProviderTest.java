package dev.llmautoscale.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.gpu.GpuTelemetry;
import dev.llmautoscale.gpu.GpuTelemetryOptions;
import dev.llmautoscale.gpu.GpuTelemetryProvider;
import dev.llmautoscale.internal.gpu.GpuTelemetryLoader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The core finds the NVML source through ServiceLoader, with the process environment. */
class ProviderTest {

    @Test
    void registeredAsAServiceWithPriority100() {
        List<GpuTelemetryProvider> providers = ServiceLoader.load(GpuTelemetryProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .toList();
        assertThat(providers).hasAtLeastOneElementOfType(NvmlGpuTelemetryProvider.class);
        assertThat(new NvmlGpuTelemetryProvider().priority()).isEqualTo(100);
    }

    @Test
    void theCoreLoaderOpensTheFakeDriverFoundThroughJnaLibraryPath() {
        FakeNvml.twoGpus().apply();
        GpuTelemetryOptions options = GpuTelemetryOptions.defaults().withSamplingInterval(Duration.ofHours(1));
        Optional<GpuTelemetry> loaded = GpuTelemetryLoader.load(options);
        assertThat(loaded).isPresent();
        try (GpuTelemetry telemetry = loaded.get()) {
            assertThat(telemetry).isInstanceOf(NvmlGpuTelemetry.class);
            assertThat(telemetry.memoryUsedBytes()).isEqualTo((double) (FakeNvml.GPU0_USED + FakeNvml.GPU1_USED));
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            telemetry.bindTo(registry);
            assertThat(registry.find("llm.gpu.device.memory.used").gauges()).hasSize(2);
            assertThat(registry.find("llm.gpu.memory.used").gauges()).as("the core's own gauge").isEmpty();
        }
    }

    @Test
    void theProviderReturnsEmptyWhenThereIsNoGpu() {
        FakeNvml.empty().apply();
        assertThat(new NvmlGpuTelemetryProvider().open(GpuTelemetryOptions.defaults())).isEmpty();
        assertThat(GpuTelemetryLoader.load(GpuTelemetryOptions.defaults())).isEmpty();
    }
}
