package dev.llmautoscale.spring.autoconfigure;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.spring.actuate.InferenceEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The Actuator endpoint {@code inference}, when Actuator is on the class path and the endpoint is enabled and exposed
 * ({@code management.endpoints.web.exposure.include=inference}).
 */
@AutoConfiguration(after = LlmAutoscaleAutoConfiguration.class)
@ConditionalOnClass(name = {"org.springframework.boot.actuate.endpoint.annotation.Endpoint",
        "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint"})
@ConditionalOnBooleanProperty(name = LlmAutoscaleProperties.PREFIX + ".enabled", matchIfMissing = true)
@ConditionalOnBean(LlmAutoscale.class)
public final class LlmAutoscaleEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(InferenceEndpoint.class)
    InferenceEndpoint inferenceEndpoint(LlmAutoscale autoscale) {
        return new InferenceEndpoint(autoscale);
    }
}
