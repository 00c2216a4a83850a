package dev.llmautoscale.spring.autoconfigure;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.servlet.InferenceTrackingFilter;
import dev.llmautoscale.servlet.LlmAutoscaleServlets;
import dev.llmautoscale.servlet.ServletAutoscaleConfig;
import dev.llmautoscale.servlet.endpoint.ActiveRequestsServlet;
import dev.llmautoscale.servlet.endpoint.AutoscalingServlet;
import dev.llmautoscale.servlet.endpoint.DrainServlet;
import dev.llmautoscale.servlet.endpoint.HealthServlet;
import dev.llmautoscale.servlet.endpoint.MetricsServlet;
import dev.llmautoscale.servlet.endpoint.ReadyServlet;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * In a servlet application with the {@code llm-autoscale-servlet} module on the class path: the inference tracking
 * filter (admission, 429/503 refusals, time to first token on the wire, model from header, path or JSON body) as a
 * {@link FilterRegistrationBean}, and the guide's bare endpoints on the main port as {@link ServletRegistrationBean}s
 * ({@code /active_requests} by default; {@code /ready}, {@code /health}, {@code /autoscaling}, {@code /metrics} and a
 * protected {@code POST /drain} on request). All of them share the application's {@link LlmAutoscale}.
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
    ServletAutoscaleConfig llmAutoscaleServletConfig(LlmAutoscaleProperties properties, LlmAutoscale autoscale) {
        LlmAutoscaleProperties.Servlet s = properties.getServlet();
        LlmAutoscaleProperties.Endpoints e = s.getEndpoints();
        LlmAutoscaleProperties.Drain d = s.getDrain();
        try {
            return ServletAutoscaleConfig.builder()
                    .enabled(true)
                    .paths(s.getPaths())
                    .modelHeader(s.getModelHeader())
                    .bodyPeekBytes(s.getBodyPeekBytes())
                    .defaultModel(s.getDefaultModel())
                    .overloadStatus(s.getOverloadStatus())
                    .admission(autoscale.admissionLimits())
                    .metrics(autoscale.metricsConfig())
                    .endpointsEnabled(true)
                    .activeRequestsPath(e.getActiveRequests())
                    .readyPath(e.getReady())
                    .healthPath(e.getHealth())
                    .autoscalingPath(e.getAutoscaling())
                    .metricsPath(e.getMetrics())
                    .drainEnabled(d.isEnabled())
                    .drainPath(d.getPath())
                    .drainToken(d.getToken())
                    .drainAllowLoopback(d.isAllowLoopback())
                    .drainTimeout(properties.getLifecycle().getDrainTimeout())
                    .metricsPort(-1)
                    .warmUpOnStart(false)
                    .build();
        } catch (IllegalArgumentException ex) {
            throw new IllegalStateException(LlmAutoscaleProperties.PREFIX + ".servlet.*: " + ex.getMessage(), ex);
        }
    }

    @Bean(FILTER_REGISTRATION)
    @ConditionalOnMissingBean(name = FILTER_REGISTRATION)
    FilterRegistrationBean<InferenceTrackingFilter> llmAutoscaleFilterRegistration(LlmAutoscale autoscale,
            ServletAutoscaleConfig config, LlmAutoscaleProperties properties) {
        FilterRegistrationBean<InferenceTrackingFilter> registration =
                new FilterRegistrationBean<>(new InferenceTrackingFilter(autoscale, config));
        registration.setName(LlmAutoscaleServlets.FILTER_NAME);
        // The filter matches the tracked paths itself, without allocating; "/*" lets it see every request.
        registration.addUrlPatterns("/*");
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        registration.setAsyncSupported(true);
        registration.setOrder(properties.getServlet().getFilterOrder());
        return registration;
    }

    /**
     * Makes the application's instance the one the servlet module finds in the servlet context, so that its
     * endpoint servlets, when also declared in {@code web.xml} or by its container initializer (a WAR), never build
     * a second one.
     */
    @Bean
    @ConditionalOnMissingBean(name = "llmAutoscaleServletContextAttribute")
    ServletContextInitializer llmAutoscaleServletContextAttribute(LlmAutoscale autoscale,
            ServletAutoscaleConfig config) {
        return ctx -> {
            ctx.setAttribute(LlmAutoscaleServlets.AUTOSCALE_ATTRIBUTE, autoscale);
            ctx.setAttribute(LlmAutoscaleServlets.CONFIG_ATTRIBUTE, config);
        };
    }

    /** The bare endpoints; each one is registered only when its path is set. */
    @Configuration(proxyBeanMethods = false)
    static class EndpointsConfiguration {

        private static final String PATHS = LlmAutoscaleProperties.PREFIX + ".servlet.endpoints.";

        @Bean
        @ConditionalOnMissingBean(name = "llmAutoscaleActiveRequestsServlet")
        @ConditionalOnEndpointPath(value = PATHS + "active-requests", defaultPath = "/active_requests")
        ServletRegistrationBean<ActiveRequestsServlet> llmAutoscaleActiveRequestsServlet(LlmAutoscale autoscale,
                ServletAutoscaleConfig config) {
            return endpoint("llmAutoscaleActiveRequests", config.activeRequestsPath(),
                    new ActiveRequestsServlet(autoscale));
        }

        @Bean
        @ConditionalOnMissingBean(name = "llmAutoscaleReadyServlet")
        @ConditionalOnEndpointPath(PATHS + "ready")
        ServletRegistrationBean<ReadyServlet> llmAutoscaleReadyServlet(LlmAutoscale autoscale,
                ServletAutoscaleConfig config) {
            return endpoint("llmAutoscaleReady", config.readyPath(), new ReadyServlet(autoscale.lifecycle()));
        }

        @Bean
        @ConditionalOnMissingBean(name = "llmAutoscaleHealthServlet")
        @ConditionalOnEndpointPath(PATHS + "health")
        ServletRegistrationBean<HealthServlet> llmAutoscaleHealthServlet(LlmAutoscale autoscale,
                ServletAutoscaleConfig config) {
            return endpoint("llmAutoscaleHealth", config.healthPath(), new HealthServlet(autoscale.lifecycle()));
        }

        @Bean
        @ConditionalOnMissingBean(name = "llmAutoscaleAutoscalingServlet")
        @ConditionalOnEndpointPath(PATHS + "autoscaling")
        ServletRegistrationBean<AutoscalingServlet> llmAutoscaleAutoscalingServlet(LlmAutoscale autoscale,
                ServletAutoscaleConfig config) {
            return endpoint("llmAutoscaleAutoscaling", config.autoscalingPath(), new AutoscalingServlet(autoscale));
        }

        @Bean
        @ConditionalOnMissingBean(name = "llmAutoscaleDrainServlet")
        @ConditionalOnBooleanProperty(LlmAutoscaleProperties.PREFIX + ".servlet.drain.enabled")
        ServletRegistrationBean<DrainServlet> llmAutoscaleDrainServlet(LlmAutoscale autoscale,
                ServletAutoscaleConfig config) {
            return endpoint("llmAutoscaleDrain", config.drainPath(), new DrainServlet(autoscale, config));
        }

        /**
         * A scrape on the main port. Built without arguments, the servlet finds the Prometheus registry behind the
         * application's instance (published as a servlet context attribute) when it starts.
         */
        @Bean
        @ConditionalOnMissingBean(name = "llmAutoscaleMetricsServlet")
        @ConditionalOnEndpointPath(PATHS + "metrics")
        @ConditionalOnClass(name = "io.micrometer.prometheusmetrics.PrometheusMeterRegistry")
        ServletRegistrationBean<MetricsServlet> llmAutoscaleMetricsServlet(ServletAutoscaleConfig config) {
            return endpoint("llmAutoscaleMetrics", config.metricsPath(), new MetricsServlet());
        }

        private static <S extends HttpServlet> ServletRegistrationBean<S> endpoint(String name, String path,
                S servlet) {
            ServletRegistrationBean<S> registration = new ServletRegistrationBean<>(servlet, path);
            registration.setName(name);
            registration.setLoadOnStartup(1);
            return registration;
        }
    }
}
