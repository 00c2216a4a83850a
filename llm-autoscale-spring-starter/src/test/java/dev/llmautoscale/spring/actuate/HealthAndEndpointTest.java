package dev.llmautoscale.spring.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.admission.AdmissionLimits;
import dev.llmautoscale.gpu.GpuHealth;
import dev.llmautoscale.gpu.GpuTelemetry;
import dev.llmautoscale.lifecycle.LifecycleState;
import dev.llmautoscale.tracking.InferenceSpan;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** What the health indicators and the {@code inference} endpoint report, against real core instances. */
class HealthAndEndpointTest {

    @Test
    void lifecycleIndicatorFollowsTheStates() {
        LlmAutoscale autoscale = LlmAutoscale.builder(new SimpleMeterRegistry()).build();
        LlmAutoscaleHealthIndicator indicator = new LlmAutoscaleHealthIndicator(autoscale);

        Health starting = indicator.health();
        assertThat(starting.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(starting.getDetails()).containsEntry("state", "starting")
                .containsEntry("reasons", List.of("warm-up has not run yet"));

        assertThat(autoscale.lifecycle().warmUp()).isTrue();
        try (InferenceSpan span = autoscale.tracker().start("m")) {
            Health up = indicator.health();
            assertThat(up.getStatus()).isEqualTo(Status.UP);
            assertThat(up.getDetails()).containsEntry("state", "ready").containsEntry("running", 1)
                    .containsEntry("queued", 0).containsEntry("acceptingWork", true).doesNotContainKey("reasons");
            span.success();
        }

        autoscale.lifecycle().drain(Duration.ofSeconds(1));
        Health draining = indicator.health();
        assertThat(draining.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(draining.getDetails()).containsEntry("state", "draining").containsEntry("acceptingWork", false);

        autoscale.lifecycle().stop();
        Health stopped = indicator.health();
        assertThat(stopped.getStatus()).isEqualTo(Status.DOWN);
        assertThat(stopped.getDetails()).containsEntry("reasons", List.of("stopped"));
    }

    @Test
    void aFailingReadinessCheckMakesTheIndicatorOutOfService() {
        LlmAutoscale autoscale = LlmAutoscale.builder(new SimpleMeterRegistry()).gpuTelemetry(new FixedGpu(false))
                .gpuAffectsReadiness(true).build();
        autoscale.lifecycle().warmUp();
        assertThat(autoscale.lifecycle().state()).isEqualTo(LifecycleState.READY);
        Health h = new LlmAutoscaleHealthIndicator(autoscale).health();
        assertThat(h.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(h.getDetails().get("reasons").toString()).contains("gpu: GPU 0 lost: GPU_IS_LOST");
    }

    @Test
    void gpuIndicatorReportsTheSource() {
        GpuHealthIndicator none = new GpuHealthIndicator(LlmAutoscale.builder(new SimpleMeterRegistry())
                .gpu(dev.llmautoscale.gpu.GpuTelemetryOptions.defaults().withEnabled(false)).build());
        assertThat(none.health().getStatus()).isEqualTo(Status.UNKNOWN);
        assertThat(none.health().getDetails().get("reason").toString()).contains("no GPU telemetry source");

        Health up = new GpuHealthIndicator(LlmAutoscale.builder(new SimpleMeterRegistry())
                .gpuTelemetry(new FixedGpu(true)).build()).health();
        assertThat(up.getStatus()).isEqualTo(Status.UP);
        assertThat(up.getDetails()).containsEntry("source", "fixed").containsEntry("devices", 1)
                .containsEntry("driver", "550.54.15");

        Health down = new GpuHealthIndicator(LlmAutoscale.builder(new SimpleMeterRegistry())
                .gpuTelemetry(new FixedGpu(false)).build()).health();
        assertThat(down.getStatus()).isEqualTo(Status.DOWN);
        assertThat(down.getDetails()).containsEntry("reasons", List.of("GPU 0 lost: GPU_IS_LOST"));
    }

    @Test
    void inferenceEndpointDescribesStateModelsAdmissionAndGpu() {
        MeterRegistry registry = new SimpleMeterRegistry();
        LlmAutoscale autoscale = LlmAutoscale.builder(registry)
                .admission(AdmissionLimits.builder().enabled(true).maxConcurrency(4).queueCapacity(8)
                        .maxQueueWait(Duration.ofSeconds(2)).build())
                .gpuTelemetry(new FixedGpu(true)).build();
        InferenceEndpoint endpoint = new InferenceEndpoint(autoscale);

        InferenceEndpoint.InferenceDescriptor warming = endpoint.inference();
        assertThat(warming.state()).isEqualTo("starting");
        assertThat(warming.ready()).isFalse();
        assertThat(warming.reasons()).containsExactly("warm-up has not run yet");

        autoscale.lifecycle().warmUp();
        autoscale.tracker().kvCacheUtilization("llama", 0.5);
        InferenceSpan running = autoscale.tracker().start("llama");
        autoscale.tracker().run("llama", () -> { });
        InferenceEndpoint.InferenceDescriptor d = endpoint.inference();
        assertThat(d.state()).isEqualTo("ready");
        assertThat(d.ready()).isTrue();
        assertThat(d.running()).isEqualTo(1);
        assertThat(d.queued()).isZero();
        assertThat(d.admission()).isEqualTo(new InferenceEndpoint.AdmissionDescriptor(true, 4, 8, 2000, Map.of()));
        InferenceEndpoint.ModelDescriptor llama = d.models().get("llama");
        assertThat(llama.running()).isEqualTo(1);
        assertThat(llama.capacityUtilization()).isEqualTo(0.25);
        assertThat(llama.kvCacheUtilization()).isEqualTo(0.5);
        assertThat(llama.requests()).containsEntry("success", 1L).containsEntry("error", 0L);
        assertThat(llama.rejections()).containsOnlyKeys("queue_full", "queue_timeout", "draining");
        assertThat(d.gpu()).isEqualTo(new InferenceEndpoint.GpuDescriptor("fixed", true, List.of()));
        assertThat(endpoint.model("llama")).isEqualTo(llama);
        assertThat(endpoint.model("unknown")).isNull();
        running.success();
        running.close();

        // without a concurrency limit a model that served a request has no capacity figure, and one never used is
        // not listed at all
        LlmAutoscale noLimit = LlmAutoscale.builder(new SimpleMeterRegistry()).build();
        noLimit.tracker().run("x", () -> { });
        InferenceEndpoint unlimitedEndpoint = new InferenceEndpoint(noLimit);
        InferenceEndpoint.ModelDescriptor unlimited = unlimitedEndpoint.inference().models().get("x");
        assertThat(unlimited).isNotNull();
        assertThat(unlimited.running()).isZero();
        assertThat(unlimited.capacityUtilization()).isNull();
        assertThat(unlimited.kvCacheUtilization()).isNull();
        assertThat(unlimited.requests()).containsEntry("success", 1L);
        assertThat(unlimitedEndpoint.inference().models()).containsOnlyKeys("x");
        assertThat(unlimitedEndpoint.model("never-used")).isNull();
    }

    /** A GPU source with fixed readings. */
    static final class FixedGpu implements GpuTelemetry {
        private final boolean healthy;

        FixedGpu(boolean healthy) {
            this.healthy = healthy;
        }

        @Override
        public String name() {
            return "fixed";
        }

        @Override
        public double memoryUsedBytes() {
            return 1024;
        }

        @Override
        public GpuHealth health() {
            Map<String, Object> attributes = Map.of("devices", 1, "driver", "550.54.15");
            return healthy ? GpuHealth.up(attributes) : GpuHealth.down(List.of("GPU 0 lost: GPU_IS_LOST"), attributes);
        }

        @Override
        public void bindTo(MeterRegistry registry) {
        }

        @Override
        public void close() {
        }
    }
}
