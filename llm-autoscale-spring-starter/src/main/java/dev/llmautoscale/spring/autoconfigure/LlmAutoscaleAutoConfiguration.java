package dev.llmautoscale.spring.autoconfigure;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.lifecycle.LifecycleSettings;
import dev.llmautoscale.spring.lifecycle.DrainTriggerWatch;
import dev.llmautoscale.spring.lifecycle.InferenceServingLifecycle;
import dev.llmautoscale.spring.lifecycle.ReadinessStateBridge;
import dev.llmautoscale.spring.tracking.TrackInferenceBeanPostProcessor;
import dev.llmautoscale.tracking.InferenceTracker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.GenericConverter;
import org.springframework.core.env.Environment;

/**
 * Auto-configures llm-autoscale on the application's {@link MeterRegistry}: the {@link LlmAutoscale} facade and its
 * tracker, metrics and admission controller as beans, warm-up and drain joined to the context lifecycle, readiness through Spring Boot's availability
 * states, and {@code @TrackInference} on beans. Every bean backs off when the application defines its own, and
 * {@code llm.autoscale.enabled=false} backs off everything.
 *
 * <p>Ordered after Spring Boot's metrics auto-configuration so the meters land in the auto-configured (composite)
 * registry with the user's {@code management.metrics.*} filters, tags and distribution settings applied. Without any
 * meter registry (no {@code spring-boot-micrometer-metrics}), a private {@link SimpleMeterRegistry} keeps tracking,
 * admission control and the lifecycle working.
 *
 * <p>The lifecycle is reached through {@link LlmAutoscale#lifecycle()} rather than as a bean of its own: it is a
 * {@code MeterBinder}, and Spring Boot would bind it a second time. GPU telemetry is found through the core's
 * {@code GpuTelemetryProvider} service (the NVML module), configured by {@code llm.autoscale.gpu.*}.
 */
@AutoConfiguration(after = ApplicationAvailabilityAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus."
                + "PrometheusMetricsExportAutoConfiguration"})
@ConditionalOnClass(LlmAutoscale.class)
@ConditionalOnBooleanProperty(name = LlmAutoscaleProperties.PREFIX + ".enabled", matchIfMissing = true)
@EnableConfigurationProperties(LlmAutoscaleProperties.class)
public final class LlmAutoscaleAutoConfiguration {

    /** The pre-drain delay on Kubernetes when none is configured. */
    static final Duration KUBERNETES_PRE_DRAIN_DELAY = LifecycleSettings.KUBERNETES_PRE_DRAIN_DELAY;

    private static final Logger log = LoggerFactory.getLogger(LlmAutoscaleAutoConfiguration.class);

    /**
     * Lets {@code llm.autoscale.admission.per-model-max-concurrency} be written on one line, as in the servlet module.
     *
     * @return the converter used while binding {@link LlmAutoscaleProperties}
     */
    @Bean
    @ConfigurationPropertiesBinding
    static GenericConverter llmAutoscalePerModelLimitsConverter() {
        return new PerModelLimitsConverter();
    }

    @Bean
    @ConditionalOnMissingBean
    LlmAutoscale llmAutoscale(LlmAutoscaleProperties properties, ObjectProvider<MeterRegistry> registries,
            ApplicationContext context) {
        MeterRegistry registry = registries.getIfUnique(() -> {
            log.info("No single MeterRegistry bean: llm-autoscale records into a private registry and exports "
                    + "nothing (add spring-boot-starter-actuator and micrometer-registry-prometheus)");
            return new SimpleMeterRegistry();
        });
        LlmAutoscale.Builder builder = LlmAutoscale.builder(registry)
                .metrics(properties.toMetricsConfig())
                .admission(properties.toAdmissionLimits())
                .gpu(properties.toGpuOptions())
                .gpuAffectsReadiness(properties.getGpu().isAffectsReadiness());
        if (context.getClassLoader() != null) {
            builder.classLoader(context.getClassLoader());
        }
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    InferenceTracker inferenceTracker(LlmAutoscale autoscale) {
        return autoscale.tracker();
    }

    /**
     * The pre-drain delay: the configured one, else 5 s on Kubernetes (whose endpoint removal races SIGTERM) and 0
     * elsewhere.
     *
     * @param configured the configured delay, or {@code null}
     * @param environment the environment (for the cloud platform)
     * @return the delay to apply
     */
    static Duration preDrainDelay(@Nullable Duration configured, Environment environment) {
        if (configured != null) {
            return configured;
        }
        return CloudPlatform.KUBERNETES.isActive(environment) ? KUBERNETES_PRE_DRAIN_DELAY : Duration.ZERO;
    }

    /** Warm-up after start, readiness events, drain before the web server's graceful shutdown. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = LlmAutoscaleProperties.PREFIX + ".lifecycle.enabled", matchIfMissing = true)
    static class LifecycleConfiguration {

        @Bean
        @ConditionalOnMissingBean
        InferenceServingLifecycle inferenceServingLifecycle(LlmAutoscale autoscale, LlmAutoscaleProperties properties,
                ApplicationContext context, Environment environment) {
            LifecycleSettings l = properties.toLifecycleSettings();
            return new InferenceServingLifecycle(autoscale.lifecycle(), context, l.warmupTimeout(),
                    l.warmupAttempts(), l.warmupRetryDelay(), preDrainDelay(l.preDrainDelay(), environment),
                    l.drainTimeout());
        }

        @Bean
        @ConditionalOnMissingBean
        DrainTriggerWatch drainTriggerWatch(LlmAutoscale autoscale, LlmAutoscaleProperties properties) {
            return new DrainTriggerWatch(properties.toLifecycleSettings(), autoscale.lifecycle());
        }

        @Bean
        @ConditionalOnMissingBean
        ReadinessStateBridge readinessStateBridge(LlmAutoscale autoscale, ApplicationContext context,
                ObjectProvider<ApplicationAvailability> availability) {
            return new ReadinessStateBridge(autoscale.lifecycle(), context, availability);
        }
    }

    /** {@code @TrackInference} on Spring beans. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = LlmAutoscaleProperties.PREFIX + ".tracking.enabled", matchIfMissing = true)
    static class TrackingConfiguration {

        @Bean
        @ConditionalOnMissingBean
        static TrackInferenceBeanPostProcessor trackInferenceBeanPostProcessor(
                ObjectProvider<InferenceTracker> tracker, Environment environment) {
            boolean tokens = environment.getProperty(SpringKeys.STREAM_ELEMENTS_ARE_TOKENS.key(), Boolean.class,
                    SpringKeys.STREAM_ELEMENTS_ARE_TOKENS.defaultValue());
            TrackInferenceBeanPostProcessor processor = new TrackInferenceBeanPostProcessor(tracker::getObject, tokens);
            processor.setProxyTargetClass(
                    environment.getProperty("spring.aop.proxy-target-class", Boolean.class, true));
            return processor;
        }
    }
}
