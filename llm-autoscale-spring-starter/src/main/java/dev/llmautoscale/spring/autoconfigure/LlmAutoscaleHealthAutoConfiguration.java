package dev.llmautoscale.spring.autoconfigure;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.spring.actuate.GpuHealthIndicator;
import dev.llmautoscale.spring.actuate.LlmAutoscaleHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health indicators, when {@code spring-boot-health} is on the class path: {@code llmAutoscale} (the lifecycle, for
 * the readiness group) and, with the NVML module, {@code gpu}. Each can be switched off with
 * {@code management.health.llmautoscale.enabled=false} / {@code management.health.gpu.enabled=false}.
 */
@AutoConfiguration(after = LlmAutoscaleAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBooleanProperty(name = LlmAutoscaleProperties.PREFIX + ".enabled", matchIfMissing = true)
@ConditionalOnBean(LlmAutoscale.class)
public final class LlmAutoscaleHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "llmAutoscaleHealthIndicator")
    @ConditionalOnEnabledHealthIndicator("llmautoscale")
    LlmAutoscaleHealthIndicator llmAutoscaleHealthIndicator(LlmAutoscale autoscale) {
        return new LlmAutoscaleHealthIndicator(autoscale);
    }

    /** The GPU health contributor, when the NVML module is on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = LlmAutoscaleHealthAutoConfiguration.NVML_PROVIDER)
    static class GpuHealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "gpuHealthIndicator")
        @ConditionalOnEnabledHealthIndicator("gpu")
        GpuHealthIndicator gpuHealthIndicator(LlmAutoscale autoscale) {
            return new GpuHealthIndicator(autoscale);
        }
    }

    /** The NVML module's GPU telemetry provider, whose presence enables the GPU health contributor. */
    static final String NVML_PROVIDER = "dev.llmautoscale.nvml.NvmlGpuTelemetryProvider";
}
