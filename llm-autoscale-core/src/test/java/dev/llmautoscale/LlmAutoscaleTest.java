package dev.llmautoscale;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.gpu.GpuTelemetryOptions;
import dev.llmautoscale.testing.FixedGpuTelemetry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LlmAutoscaleTest {

    @Test
    void discoversAGpuProviderThroughServiceLoader() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (LlmAutoscale autoscale = LlmAutoscale.builder(registry)
                .gpu(GpuTelemetryOptions.defaults().withSamplingInterval(Duration.ofSeconds(1))).build()) {
            // src/test/resources/META-INF/services registers TestGpuTelemetryProvider
            assertThat(autoscale.gpu()).isPresent();
            assertThat(autoscale.gpu().get().name()).isEqualTo("test-provider");
            assertThat(registry.get("llm.gpu.memory.used").gauge().value()).isEqualTo(4096.0);
        }
    }

    @Test
    void disabledMeansNoGpuFamilyEvenWithAProvider() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // the test class path has a provider (see discoversAGpuProviderThroughServiceLoader): disabled wins
        LlmAutoscale autoscale = LlmAutoscale.builder(registry)
                .gpu(GpuTelemetryOptions.defaults().withEnabled(false)).build();
        assertThat(autoscale.gpu()).isEmpty();
        assertThat(registry.find("llm.gpu.memory.used").gauge()).isNull();
    }

    @Test
    void noProviderMeansNoGpuFamily() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // a class loader that sees no META-INF/services entry: enabled, but nothing to open
        try (URLClassLoader empty = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader());
                LlmAutoscale autoscale = LlmAutoscale.builder(registry).classLoader(empty).build()) {
            assertThat(autoscale.gpu()).isEmpty();
            assertThat(registry.find("llm.gpu.memory.used").gauge()).isNull();
            assertThat(registry.getMeters()).noneMatch(m -> m.getId().getName().startsWith("llm.gpu"));
        }
    }

    @Test
    void lostGpuReadsNaNAndCanMakeTheServerUnready() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        FixedGpuTelemetry gpu = new FixedGpuTelemetry(100);
        LlmAutoscale autoscale = LlmAutoscale.builder(registry).gpuTelemetry(gpu).gpuAffectsReadiness(true).build();
        autoscale.lifecycle().warmUp();
        assertThat(autoscale.lifecycle().readiness().ok()).isTrue();
        gpu.lost = true;
        assertThat(registry.get("llm.gpu.memory.used").gauge().value()).isNaN();
        assertThat(autoscale.lifecycle().readiness().ok()).isFalse();
        assertThat(autoscale.lifecycle().readiness().reasons()).containsExactly("gpu: GPU 0 lost: GPU_IS_LOST");
        autoscale.close();
        assertThat(gpu.closed).isTrue();
    }
}
