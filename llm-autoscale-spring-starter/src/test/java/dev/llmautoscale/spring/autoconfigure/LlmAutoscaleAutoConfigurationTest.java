package dev.llmautoscale.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.admission.AdmissionLimits;
import dev.llmautoscale.gpu.GpuTelemetryOptions;
import dev.llmautoscale.lifecycle.InferenceLifecycle;
import dev.llmautoscale.metrics.InferenceMetricsConfig;
import dev.llmautoscale.metrics.MetricNames;
import dev.llmautoscale.spring.actuate.GpuHealthIndicator;
import dev.llmautoscale.spring.actuate.InferenceEndpoint;
import dev.llmautoscale.spring.actuate.LlmAutoscaleHealthIndicator;
import dev.llmautoscale.spring.lifecycle.InferenceServingLifecycle;
import dev.llmautoscale.spring.lifecycle.ReadinessStateBridge;
import dev.llmautoscale.spring.tracking.TrackInferenceBeanPostProcessor;
import dev.llmautoscale.tracking.InferenceSpan;
import dev.llmautoscale.tracking.InferenceTracker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The auto-configuration's conditions: defaults, user beans, switches, and missing optional parts. */
class LlmAutoscaleAutoConfigurationTest {

    private final ApplicationContextRunner runner = Runners.runner();

    @Test
    void defaultsWireEverythingOnTheApplicationsRegistry() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            LlmAutoscale autoscale = context.getBean(LlmAutoscale.class);
            assertThat(context.getBean(InferenceTracker.class)).isSameAs(autoscale.tracker());
            // the lifecycle is a MeterBinder: as a bean, Boot would bind it twice
            assertThat(context).doesNotHaveBean(InferenceLifecycle.class);
            // wiring is not API: no bean for the internal meters or admission controller
            assertThat(context).doesNotHaveBean("inferenceMetrics").doesNotHaveBean("admissionController");
            assertThat(context).hasSingleBean(InferenceServingLifecycle.class)
                    .hasSingleBean(ReadinessStateBridge.class)
                    .hasSingleBean(TrackInferenceBeanPostProcessor.class)
                    .hasSingleBean(LlmAutoscaleHealthIndicator.class)
                    .hasBean("llmAutoscaleHealthIndicator");
            // not exposed by default, like every Actuator endpoint but health
            assertThat(context).doesNotHaveBean(InferenceEndpoint.class);

            // The core meters live in the application's (Prometheus) registry, not in a private one.
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry).isInstanceOf(PrometheusMeterRegistry.class);
            assertThat(autoscale.registry()).isSameAs(registry);
            try (InferenceSpan span = autoscale.tracker().start("llama-13b")) {
                assertThat(registry.get(MetricNames.ACTIVE_REQUESTS).gauge().value()).isEqualTo(1.0);
                span.success();
            }
            String scrape = ((PrometheusMeterRegistry) registry).scrape();
            assertThat(scrape).contains("llm_inference_requests_total{model=\"llama-13b\",status=\"success\"} 1.0")
                    .contains("llm_inference_duration_seconds_bucket{model=\"llama-13b\",le=\"0.1\"}")
                    .contains("llm_inference_queue_depth 0.0")
                    .contains("llm_active_requests 0.0")
                    .contains("llm_lifecycle_state{state=\"ready\"}");
        });
    }

    @Test
    void propertyDefaultsAreTheCoreDefaults() {
        LlmAutoscaleProperties properties = new LlmAutoscaleProperties();
        assertThat(properties.toMetricsConfig()).isEqualTo(InferenceMetricsConfig.defaults());
        assertThat(properties.toAdmissionLimits()).isEqualTo(AdmissionLimits.disabled());
        assertThat(properties.toGpuOptions()).isEqualTo(GpuTelemetryOptions.defaults());
        assertThat(properties.isEnabled()).isTrue();
        assertThat(properties.getLifecycle().getPreDrainDelay()).isNull();
    }

    @Test
    void userBeansWin() {
        runner.withUserConfiguration(UserBeans.class).run(context -> {
            assertThat(context).hasNotFailed();
            LlmAutoscale mine = context.getBean(UserBeans.class).autoscale;
            assertThat(context.getBean(LlmAutoscale.class)).isSameAs(mine);
            // the derived beans come from the user's instance
            assertThat(context.getBean(InferenceTracker.class)).isSameAs(mine.tracker());
            // the user's meters stay in the user's registry
            assertThat(context.getBean(MeterRegistry.class).find(MetricNames.ACTIVE_REQUESTS).gauge()).isNull();
            assertThat(context.getBean("llmAutoscaleHealthIndicator")).isSameAs(UserBeans.HEALTH);
            assertThat(context.getBeansOfType(InferenceServingLifecycle.class)).containsOnlyKeys("myServingLifecycle");
        });
    }

    @Test
    void disabledByPropertyBacksOffCompletely() {
        runner.withPropertyValues("llm.autoscale.enabled=false",
                "management.endpoints.web.exposure.include=inference").run(context -> {
                    assertThat(context).hasNotFailed()
                            .doesNotHaveBean(LlmAutoscale.class)
                            .doesNotHaveBean(InferenceTracker.class)
                            .doesNotHaveBean(InferenceServingLifecycle.class)
                            .doesNotHaveBean(ReadinessStateBridge.class)
                            .doesNotHaveBean(TrackInferenceBeanPostProcessor.class)
                            .doesNotHaveBean(LlmAutoscaleHealthIndicator.class)
                            .doesNotHaveBean(InferenceEndpoint.class)
                            .doesNotHaveBean(LlmAutoscaleProperties.class);
                    assertThat(context.getBean(MeterRegistry.class).find(MetricNames.ACTIVE_REQUESTS).gauge())
                            .isNull();
                });
    }

    @Test
    void disabledByPropertyAlsoIgnoresAUserInstance() {
        runner.withUserConfiguration(UserAutoscaleOnly.class).withPropertyValues("llm.autoscale.enabled=false",
                "management.endpoints.web.exposure.include=inference").run(context -> {
                    assertThat(context).hasSingleBean(LlmAutoscale.class)
                            .doesNotHaveBean(InferenceServingLifecycle.class)
                            .doesNotHaveBean(LlmAutoscaleHealthIndicator.class)
                            .doesNotHaveBean(InferenceEndpoint.class);
                });
    }

    @Test
    void partsCanBeSwitchedOffOneByOne() {
        runner.withPropertyValues("llm.autoscale.lifecycle.enabled=false", "llm.autoscale.tracking.enabled=false",
                "management.health.llmautoscale.enabled=false").run(context -> {
                    assertThat(context).hasSingleBean(LlmAutoscale.class)
                            .doesNotHaveBean(InferenceServingLifecycle.class)
                            .doesNotHaveBean(ReadinessStateBridge.class)
                            .doesNotHaveBean(TrackInferenceBeanPostProcessor.class)
                            .doesNotHaveBean(LlmAutoscaleHealthIndicator.class);
                });
    }

    @Test
    void endpointWhenExposed() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=inference").run(context -> {
            assertThat(context).hasSingleBean(InferenceEndpoint.class);
            InferenceEndpoint.InferenceDescriptor d = context.getBean(InferenceEndpoint.class).inference();
            assertThat(d.running()).isZero();
            assertThat(d.admission().enabled()).isFalse();
        });
        runner.withPropertyValues("management.endpoints.web.exposure.include=inference",
                "management.endpoint.inference.access=NONE").run(context -> {
                    assertThat(context).doesNotHaveBean(InferenceEndpoint.class);
                });
    }

    @Test
    void withoutPrometheusTheMetersGoToTheSimpleRegistry() {
        runner.withClassLoader(new FilteredClassLoader(PrometheusMeterRegistry.class)).run(context -> {
            assertThat(context).hasNotFailed();
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry).isInstanceOf(SimpleMeterRegistry.class);
            LlmAutoscale autoscale = context.getBean(LlmAutoscale.class);
            assertThat(autoscale.registry()).isSameAs(registry);
            autoscale.tracker().run("m", () -> { });
            assertThat(registry.get(MetricNames.REQUESTS).tag("model", "m").tag("status", "success").counter()
                    .count()).isEqualTo(1.0);
        });
    }

    @Test
    void withoutAnyMeterRegistryTrackingAndLifecycleStillWork() {
        new ApplicationContextRunner().withConfiguration(Runners.STARTER)
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.micrometer"))
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(MeterRegistry.class);
                    LlmAutoscale autoscale = context.getBean(LlmAutoscale.class);
                    assertThat(autoscale.registry()).isInstanceOf(SimpleMeterRegistry.class);
                    assertThat(autoscale.tracker().supply("m", () -> "ok")).isEqualTo("ok");
                    assertThat(context).hasSingleBean(InferenceServingLifecycle.class);
                });
    }

    @Test
    void withoutActuatorThereIsNoEndpoint() {
        // Boot's own Prometheus scrape endpoint configuration needs Actuator, so it is left out here
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ApplicationAvailabilityAutoConfiguration.class,
                        MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class))
                .withConfiguration(Runners.STARTER)
                .withPropertyValues("management.endpoints.web.exposure.include=inference")
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(LlmAutoscale.class)
                            .hasSingleBean(LlmAutoscaleHealthIndicator.class)
                            .doesNotHaveBean(InferenceEndpoint.class);
                });
    }

    @Test
    void withoutTheHealthModuleThereAreNoIndicators() {
        runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health")).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(LlmAutoscale.class)
                    .doesNotHaveBean(LlmAutoscaleHealthIndicator.class)
                    .doesNotHaveBean(GpuHealthIndicator.class);
        });
    }

    @Test
    void withoutTheNvmlModuleThereIsNoGpuContributor() {
        runner.withClassLoader(new FilteredClassLoader(LlmAutoscaleHealthAutoConfiguration.NVML_PROVIDER))
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(LlmAutoscaleHealthIndicator.class)
                            .doesNotHaveBean(GpuHealthIndicator.class);
                    assertThat(context.getBean(LlmAutoscale.class).gpu()).isEmpty();
                });
    }

    @Test
    void withTheNvmlModuleThereIsAGpuContributor() {
        // The build points LLM_AUTOSCALE_NVML_LIBRARY at a library that does not exist (surefire configuration), so on
        // every machine, GPU or not, the NVML module opens no source and the contributor must say so; the NVML module's
        // own tests cover a driver that answers (a fake libnvidia-ml).
        assertThat(System.getenv("LLM_AUTOSCALE_NVML_LIBRARY")).as("set by the surefire configuration")
                .endsWith("no-such-libnvidia-ml.so");
        runner.run(context -> {
            assertThat(context).hasSingleBean(GpuHealthIndicator.class).hasBean("gpuHealthIndicator");
            LlmAutoscale autoscale = context.getBean(LlmAutoscale.class);
            org.springframework.boot.health.contributor.Health h = context.getBean(GpuHealthIndicator.class).health();
            assertThat(autoscale.gpu()).isEmpty();
            assertThat(h.getStatus().getCode()).isEqualTo("UNKNOWN");
            assertThat(h.getDetails().get("reason")).asString().contains("no GPU telemetry source");
            assertThat(context.getBean(MeterRegistry.class).find(MetricNames.GPU_MEMORY_USED).gauge()).isNull();
        });
        runner.withPropertyValues("management.health.gpu.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(GpuHealthIndicator.class);
        });
    }

    @Test
    void withoutReactorOrAspectjTheContextStarts() {
        runner.withClassLoader(new FilteredClassLoader("reactor.", "org.aspectj.")).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(TrackInferenceBeanPostProcessor.class);
        });
    }

    @Test
    void propertiesAreBoundIntoTheCore() {
        runner.withPropertyValues(
                "llm.autoscale.metrics.model-allow-list=llama-13b,mistral-7b",
                "llm.autoscale.metrics.max-models=4",
                "llm.autoscale.metrics.max-model-name-length=40",
                "llm.autoscale.metrics.buckets.duration=0.25,1,4",
                "llm.autoscale.metrics.buckets.time-to-first-token=0.05,0.5",
                "llm.autoscale.metrics.buckets.time-per-output-token=0.01,0.1",
                "llm.autoscale.metrics.buckets.queue-time=1,10",
                "llm.autoscale.admission.enabled=true",
                "llm.autoscale.admission.max-concurrency=32",
                "llm.autoscale.admission.queue-capacity=64",
                "llm.autoscale.admission.max-queue-wait=2s",
                "llm.autoscale.admission.retry-after=3s",
                "llm.autoscale.admission.drain-retry-after=7s",
                "llm.autoscale.admission.per-model-max-concurrency.llama-13b=8",
                "llm.autoscale.gpu.enabled=false",
                "llm.autoscale.gpu.sampling-interval=2s",
                "llm.autoscale.gpu.legacy-exporter-names=true",
                "llm.autoscale.lifecycle.pre-drain-delay=750ms",
                "llm.autoscale.lifecycle.drain-timeout=9s",
                "llm.autoscale.lifecycle.warmup-timeout=3m").run(context -> {
                    assertThat(context).hasNotFailed();
                    LlmAutoscaleProperties p = context.getBean(LlmAutoscaleProperties.class);
                    InferenceMetricsConfig metrics = p.toMetricsConfig();
                    assertThat(metrics.modelAllowList()).containsExactlyInAnyOrder("llama-13b", "mistral-7b");
                    assertThat(metrics.maxModels()).isEqualTo(4);
                    assertThat(metrics.maxModelNameLength()).isEqualTo(40);
                    assertThat(metrics.durationBuckets()).containsExactly(0.25, 1.0, 4.0);
                    assertThat(metrics.timeToFirstTokenBuckets()).containsExactly(0.05, 0.5);
                    assertThat(metrics.timePerOutputTokenBuckets()).containsExactly(0.01, 0.1);
                    assertThat(metrics.queueTimeBuckets()).containsExactly(1.0, 10.0);
                    assertThat(p.toGpuOptions()).isEqualTo(new GpuTelemetryOptions(false, Duration.ofSeconds(2), true));

                    LlmAutoscale autoscale = context.getBean(LlmAutoscale.class);
                    AdmissionLimits limits = autoscale.admissionLimits();
                    assertThat(limits).isEqualTo(new AdmissionLimits(true, 32, 64, Duration.ofSeconds(2),
                            Duration.ofSeconds(3), Duration.ofSeconds(7), Map.of("llama-13b", 8)));
                    assertThat(autoscale.metricsConfig()).isEqualTo(metrics);
                    assertThat(autoscale.gpu()).isEmpty();
                    // allow-listed models exist up front; the capacity gauge uses the per-model limit
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get(MetricNames.CAPACITY_UTILIZATION).tag("model", "llama-13b").gauge()
                            .value()).isEqualTo(0.0);
                    assertThat(histogramBounds(registry.get(MetricNames.DURATION).tag("model", "llama-13b").timer()))
                            .containsExactly(0.25, 1.0, 4.0);

                    InferenceServingLifecycle serving = context.getBean(InferenceServingLifecycle.class);
                    assertThat(serving.preDrainDelay()).isEqualTo(Duration.ofMillis(750));
                    assertThat(serving.drainTimeout()).isEqualTo(Duration.ofSeconds(9));
                });
    }

    @Test
    void springBootDistributionSettingsApplyOnTop() {
        runner.withClassLoader(new FilteredClassLoader(PrometheusMeterRegistry.class))
                .withPropertyValues("management.metrics.distribution.slo.llm.inference.duration=1s,3s",
                        "management.metrics.tags.region=eu-west")
                .run(context -> {
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    context.getBean(LlmAutoscale.class).tracker().run("m", () -> { });
                    Timer duration = registry.get(MetricNames.DURATION).tag("model", "m").timer();
                    assertThat(histogramBounds(duration)).containsExactly(1.0, 3.0);
                    assertThat(duration.getId().getTag("region")).isEqualTo("eu-west");
                    // other histograms keep the starter's buckets
                    assertThat(histogramBounds(registry.get(MetricNames.QUEUE_TIME).tag("model", "m").timer()))
                            .hasSize(21);
                });
    }

    @Test
    void kubernetesGetsAPreDrainDelayByDefault() {
        runner.withPropertyValues("spring.main.cloud-platform=kubernetes").run(context -> {
            assertThat(context.getBean(InferenceServingLifecycle.class).preDrainDelay())
                    .isEqualTo(LlmAutoscaleAutoConfiguration.KUBERNETES_PRE_DRAIN_DELAY);
            context.getBean(LlmAutoscale.class).lifecycle().stop(); // a stopped server closes without the delay
        });
        runner.run(context -> {
            assertThat(context.getBean(InferenceServingLifecycle.class).preDrainDelay()).isZero();
        });
        runner.withPropertyValues("spring.main.cloud-platform=kubernetes", "llm.autoscale.lifecycle.pre-drain-delay=0")
                .run(context -> {
                    assertThat(context.getBean(InferenceServingLifecycle.class).preDrainDelay()).isZero();
                });
    }

    @Test
    void autoConfigurationsAreRegisteredInTheImportsFile() throws Exception {
        try (var in = getClass().getResourceAsStream(
                "/META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")) {
            assertThat(in).isNotNull();
            List<String> lines = Arrays.stream(new String(in.readAllBytes()).split("\n"))
                    .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            assertThat(lines).containsExactlyInAnyOrder(LlmAutoscaleAutoConfiguration.class.getName(),
                    LlmAutoscaleEndpointAutoConfiguration.class.getName(),
                    LlmAutoscaleHealthAutoConfiguration.class.getName(),
                    LlmAutoscaleServletAutoConfiguration.class.getName());
        }
    }

    static List<Double> histogramBounds(Timer timer) {
        return Arrays.stream(timer.takeSnapshot().histogramCounts())
                .map((CountAtBucket b) -> b.bucket(TimeUnit.SECONDS)).toList();
    }

    @Configuration(proxyBeanMethods = false)
    static class UserBeans {
        static final LlmAutoscaleHealthIndicator HEALTH =
                new LlmAutoscaleHealthIndicator(LlmAutoscale.builder(new SimpleMeterRegistry()).build());

        final LlmAutoscale autoscale = LlmAutoscale.builder(new SimpleMeterRegistry()).build();

        @Bean
        LlmAutoscale myAutoscale() {
            return autoscale;
        }

        @Bean
        LlmAutoscaleHealthIndicator llmAutoscaleHealthIndicator() {
            return HEALTH;
        }

        @Bean
        InferenceServingLifecycle myServingLifecycle(org.springframework.context.ApplicationContext context) {
            return new InferenceServingLifecycle(autoscale.lifecycle(), context, Duration.ofSeconds(1),
                    Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserAutoscaleOnly {
        @Bean
        LlmAutoscale myAutoscale() {
            return LlmAutoscale.builder(new SimpleMeterRegistry()).build();
        }
    }
}
