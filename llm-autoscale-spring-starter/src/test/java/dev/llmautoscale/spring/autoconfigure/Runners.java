package dev.llmautoscale.spring.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Application context runners with the auto-configurations a Boot application with Actuator would have. */
public final class Runners {

    /** Spring Boot's own auto-configurations the starter cooperates with. */
    public static final AutoConfigurations BOOT = AutoConfigurations.of(
            ApplicationAvailabilityAutoConfiguration.class,
            LifecycleAutoConfiguration.class,
            MetricsAutoConfiguration.class,
            PrometheusMetricsExportAutoConfiguration.class,
            SimpleMetricsExportAutoConfiguration.class,
            CompositeMeterRegistryAutoConfiguration.class);

    /** The starter's auto-configurations, as listed in AutoConfiguration.imports. */
    public static final AutoConfigurations STARTER = AutoConfigurations.of(
            LlmAutoscaleAutoConfiguration.class,
            LlmAutoscaleEndpointAutoConfiguration.class,
            LlmAutoscaleHealthAutoConfiguration.class,
            LlmAutoscaleServletAutoConfiguration.class);

    private Runners() {
    }

    /**
     * @return a runner with Boot's and the starter's auto-configurations, and a short drain for fast closes
     */
    public static ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(BOOT)
                .withConfiguration(STARTER)
                .withPropertyValues("llm.autoscale.lifecycle.drain-timeout=5s");
    }
}
