package dev.llmautoscale.spring.autoconfigure;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.servlet.InferenceTrackingFilter;
import dev.llmautoscale.servlet.LlmAutoscaleServlets;
import dev.llmautoscale.servlet.ServletSettings;
import dev.llmautoscale.servlet.endpoint.ActiveRequestsServlet;
import dev.llmautoscale.servlet.endpoint.AutoscalingServlet;
import dev.llmautoscale.servlet.endpoint.DrainServlet;
import dev.llmautoscale.servlet.endpoint.HealthServlet;
import dev.llmautoscale.servlet.endpoint.MetricsServlet;
import dev.llmautoscale.servlet.endpoint.ReadyServlet;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * In a servlet application with the {@code llm-autoscale-servlet} module on the class path: the inference tracking
 * filter (admission, 429/503 refusals, time to first token on the wire, model from header, path or JSON body) as a
 * {@link FilterRegistrationBean}, and the guide's bare endpoints on the main port as {@link ServletRegistrationBean}s
 * ({@code /health}, {@code /ready}, {@code /active_requests}, {@code /autoscaling}, {@code /metrics} by default, as in
 * the servlet module; a protected {@code POST /drain} on request). Each gets the application's {@link LlmAutoscale}
 * in its constructor; the settings are the servlet module's records bound from {@code llm.autoscale.servlet.*}.
 */
@AutoConfiguration(after = LlmAutoscaleAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = {"dev.llmautoscale.servlet.InferenceTrackingFilter", "jakarta.servlet.Filter",
        "org.springframework.boot.web.servlet.FilterRegistrationBean"})
@ConditionalOnBooleanProperty(name = LlmAutoscaleProperties.PREFIX + ".enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = LlmAutoscaleProperties.PREFIX + ".servlet.enabled", matchIfMissing = true)
@ConditionalOnBean(LlmAutoscale.class)
public final class LlmAutoscaleServletAutoConfiguration {

    /** Bean name of the filter registration; define a bean of this name to replace it. */
    public static final String FILTER_REGISTRATION = "llmAutoscaleFilterRegistration";

    @Bean
    @ConditionalOnMissingBean
    ServletSettings llmAutoscaleServletSettings(LlmAutoscaleProperties properties) {
        return ServletSettingsMapping.settings(properties);
    }

    @Bean(FILTER_REGISTRATION)
    @ConditionalOnMissingBean(name = FILTER_REGISTRATION)
    FilterRegistrationBean<InferenceTrackingFilter> llmAutoscaleFilterRegistration(LlmAutoscale autoscale,
            ServletSettings settings, LlmAutoscaleProperties properties) {
        FilterRegistrationBean<InferenceTrackingFilter> registration =
                new FilterRegistrationBean<>(new InferenceTrackingFilter(autoscale, settings.filter()));
        registration.setName(LlmAutoscaleServlets.FILTER_NAME);
        // The filter matches the tracked paths itself, without allocating; "/*" lets it see every request.
        registration.addUrlPatterns("/*");
        registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC); // ASYNC: resumes queued requests
        registration.setAsyncSupported(true);
        registration.setOrder(properties.getServlet().getFilterOrder());
        return registration;
    }

    /** The bare endpoints; each one is registered only when its path is set. */
    @Configuration(proxyBeanMethods = false)
    static class EndpointsConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "llmAutoscaleActiveRequestsServlet")
        @ConditionalOnEndpointPath("llm.autoscale.servlet.endpoints.active-requests")
        ServletRegistrationBean<ActiveRequestsServlet> llmAutoscaleActiveRequestsServlet(LlmAutoscale autoscale,
                ServletSettings settings) {
            return endpoint("llmAutoscaleActiveRequests", settings.endpoints().activeRequests(),
                    new ActiveRequestsServlet(autoscale));
        }

        @Bean
        @ConditionalOnMissingBean(name = "llmAutoscaleReadyServlet")
        @ConditionalOnEndpointPath("llm.autoscale.servlet.endpoints.ready")
        ServletRegistrationBean<ReadyServlet> llmAutoscaleReadyServlet(LlmAutoscale autoscale,
                ServletSettings settings) {
            return endpoint("llmAutoscaleReady", settings.endpoints().ready(), new ReadyServlet(autoscale.lifecycle()));
        }

        @Bean
        @ConditionalOnMissingBean(name = "llmAutoscaleHealthServlet")
        @ConditionalOnEndpointPath("llm.autoscale.servlet.endpoints.health")
        ServletRegistrationBean<HealthServlet> llmAutoscaleHealthServlet(LlmAutoscale autoscale,
                ServletSettings settings) {
            return endpoint("llmAutoscaleHealth", settings.endpoints().health(), new HealthServlet(autoscale.lifecycle()));
        }

        @Bean
        @ConditionalOnMissingBean(name = "llmAutoscaleAutoscalingServlet")
        @ConditionalOnEndpointPath("llm.autoscale.servlet.endpoints.autoscaling")
        ServletRegistrationBean<AutoscalingServlet> llmAutoscaleAutoscalingServlet(LlmAutoscale autoscale,
                ServletSettings settings) {
            return endpoint("llmAutoscaleAutoscaling", settings.endpoints().autoscaling(), new AutoscalingServlet(autoscale));
        }

        @Bean
        @ConditionalOnMissingBean(name = "llmAutoscaleDrainServlet")
        @ConditionalOnBooleanProperty("llm.autoscale.servlet.drain.enabled")
        ServletRegistrationBean<DrainServlet> llmAutoscaleDrainServlet(LlmAutoscale autoscale,
                ServletSettings settings) {
            return endpoint("llmAutoscaleDrain", settings.drain().path(),
                    new DrainServlet(autoscale, settings.drain(), settings.lifecycle().drainTimeout()));
        }

        private static <S extends HttpServlet> ServletRegistrationBean<S> endpoint(String name, String path,
                S servlet) {
            ServletRegistrationBean<S> registration = new ServletRegistrationBean<>(servlet, path);
            registration.setName(name);
            registration.setLoadOnStartup(1);
            return registration;
        }
    }

    /**
     * A scrape on the main port, of the application's Prometheus registry; in its own class so that nothing loads
     * Prometheus types without {@code micrometer-registry-prometheus}.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.prometheusmetrics.PrometheusMeterRegistry")
    static class MetricsEndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "llmAutoscaleMetricsServlet")
        @ConditionalOnEndpointPath("llm.autoscale.servlet.endpoints.metrics")
        @ConditionalOnBean(PrometheusMeterRegistry.class)
        ServletRegistrationBean<MetricsServlet> llmAutoscaleMetricsServlet(PrometheusMeterRegistry registry,
                ServletSettings settings) {
            return EndpointsConfiguration.endpoint("llmAutoscaleMetrics", settings.endpoints().metrics(),
                    new MetricsServlet(registry));
        }
    }
}
