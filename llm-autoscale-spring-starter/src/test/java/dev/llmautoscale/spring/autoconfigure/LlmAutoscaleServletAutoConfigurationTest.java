package dev.llmautoscale.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.servlet.InferenceTrackingFilter;
import dev.llmautoscale.servlet.LlmAutoscaleServlets;
import dev.llmautoscale.servlet.FilterSettings;
import dev.llmautoscale.servlet.ServletSettings;
import dev.llmautoscale.servlet.endpoint.DrainEndpointSettings;
import dev.llmautoscale.servlet.endpoint.EndpointSettings;
import dev.llmautoscale.servlet.endpoint.ActiveRequestsServlet;
import dev.llmautoscale.servlet.endpoint.DrainServlet;
import dev.llmautoscale.servlet.endpoint.MetricsServlet;
import dev.llmautoscale.servlet.endpoint.ReadyServlet;
import jakarta.servlet.DispatcherType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;

/** The servlet filter and bare endpoints: registered in servlet applications only, and switchable. */
class LlmAutoscaleServletAutoConfigurationTest {

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(Runners.BOOT).withConfiguration(Runners.STARTER)
            .withPropertyValues("llm.autoscale.lifecycle.drain-timeout=5s");

    @Test
    void servletApplicationsGetTheFilterAndTheGuidesEndpoints() {
        web.run(context -> {
            assertThat(context).hasNotFailed();
            FilterRegistrationBean<?> registration = context.getBean(
                    LlmAutoscaleServletAutoConfiguration.FILTER_REGISTRATION, FilterRegistrationBean.class);
            assertThat(registration.getFilter()).isInstanceOf(InferenceTrackingFilter.class);
            assertThat(registration.getFilterName()).isEqualTo(LlmAutoscaleServlets.FILTER_NAME);
            assertThat(registration.getUrlPatterns()).containsExactly("/*");
            assertThat(registration.determineDispatcherTypes()).containsExactlyInAnyOrder(DispatcherType.REQUEST,
                    DispatcherType.ASYNC);
            assertThat(registration.isAsyncSupported()).isTrue();
            assertThat(registration.getOrder()).isEqualTo(-90);

            FilterSettings config = ((InferenceTrackingFilter) registration.getFilter()).settings();
            assertThat(config.paths()).containsExactly("/v1/completions", "/v1/chat/completions", "/v1/embeddings");
            assertThat(config.modelHeader()).isEqualTo("X-Model");
            assertThat(config.overloadStatus()).isEqualTo(429);
            // the same defaults as the servlet module's
            assertThat(context.getBean(ServletSettings.class)).isEqualTo(ServletSettings.defaults()
                    .withLifecycle(context.getBean(LlmAutoscaleProperties.class).toLifecycleSettings()));

            assertThat(servlets(context)).containsExactlyInAnyOrder("llmAutoscaleActiveRequests", "llmAutoscaleReady",
                    "llmAutoscaleHealth", "llmAutoscaleAutoscaling", "llmAutoscaleMetrics");
            assertThat(mapping(context, "llmAutoscaleHealthServlet")).isEqualTo("/health");
            assertThat(mapping(context, "llmAutoscaleReadyServlet")).isEqualTo("/ready");
            assertThat(mapping(context, "llmAutoscaleAutoscalingServlet")).isEqualTo("/autoscaling");
            assertThat(mapping(context, "llmAutoscaleMetricsServlet")).isEqualTo("/metrics");
            ServletRegistrationBean<?> active = context.getBean("llmAutoscaleActiveRequestsServlet",
                    ServletRegistrationBean.class);
            assertThat(active.getServlet()).isInstanceOf(ActiveRequestsServlet.class);
            assertThat(active.getUrlMappings()).containsExactly("/active_requests");
        });
    }

    @Test
    void everyServletSettingIsBound() {
        web.withPropertyValues("llm.autoscale.servlet.paths=/v1/{model}/generate,/api/**",
                "llm.autoscale.servlet.model-header=X-LLM-Model", "llm.autoscale.servlet.body-peek-bytes=0",
                "llm.autoscale.servlet.default-model=llama-13b", "llm.autoscale.servlet.overload-status=503",
                "llm.autoscale.servlet.filter-order=5",
                "llm.autoscale.servlet.endpoints.active-requests=/inflight",
                "llm.autoscale.servlet.endpoints.ready=/ready", "llm.autoscale.servlet.endpoints.health=/health",
                "llm.autoscale.servlet.endpoints.autoscaling=/autoscaling",
                "llm.autoscale.servlet.endpoints.metrics=/metrics",
                "llm.autoscale.servlet.drain.enabled=true", "llm.autoscale.servlet.drain.path=/admin/drain",
                "llm.autoscale.servlet.drain.token=s3cret", "llm.autoscale.servlet.drain.allow-loopback=false",
                "llm.autoscale.lifecycle.drain-timeout=40s").run(context -> {
                    assertThat(context).hasNotFailed();
                    ServletSettings config = context.getBean(ServletSettings.class);
                    assertThat(config.filter()).isEqualTo(new FilterSettings(List.of("/v1/{model}/generate",
                            "/api/**"), "X-LLM-Model", 0, "llama-13b", 503));
                    assertThat(config.endpoints()).isEqualTo(new EndpointSettings(true, "/health", "/ready",
                            "/inflight", "/metrics", "/autoscaling"));
                    assertThat(config.drain()).isEqualTo(new DrainEndpointSettings(true, "/admin/drain", "s3cret",
                            false));
                    assertThat(config.lifecycle().drainTimeout()).isEqualTo(Duration.ofSeconds(40));
                    assertThat(context.getBean(LlmAutoscaleServletAutoConfiguration.FILTER_REGISTRATION,
                            FilterRegistrationBean.class).getOrder()).isEqualTo(5);
                    assertThat(servlets(context)).containsExactlyInAnyOrder("llmAutoscaleActiveRequests",
                            "llmAutoscaleReady", "llmAutoscaleHealth", "llmAutoscaleAutoscaling",
                            "llmAutoscaleMetrics", "llmAutoscaleDrain");
                    assertThat(mapping(context, "llmAutoscaleActiveRequestsServlet")).isEqualTo("/inflight");
                    assertThat(mapping(context, "llmAutoscaleDrainServlet")).isEqualTo("/admin/drain");
                    assertThat(context.getBean("llmAutoscaleReadyServlet", ServletRegistrationBean.class)
                            .getServlet()).isInstanceOf(ReadyServlet.class);
                    assertThat(context.getBean("llmAutoscaleDrainServlet", ServletRegistrationBean.class)
                            .getServlet()).isInstanceOf(DrainServlet.class);
                    assertThat(context.getBean("llmAutoscaleMetricsServlet", ServletRegistrationBean.class)
                            .getServlet()).isInstanceOf(MetricsServlet.class);
                });
    }

    @Test
    void anEmptyPathSwitchesAnEndpointOff() {
        web.withPropertyValues("llm.autoscale.servlet.endpoints.active-requests=").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(servlets(context)).containsExactlyInAnyOrder("llmAutoscaleReady", "llmAutoscaleHealth",
                    "llmAutoscaleAutoscaling", "llmAutoscaleMetrics");
            assertThat(context.getBean(ServletSettings.class).endpoints().activeRequests()).isNull();
            assertThat(context).hasBean(LlmAutoscaleServletAutoConfiguration.FILTER_REGISTRATION);
        });
        web.withPropertyValues("llm.autoscale.servlet.endpoints.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(servlets(context)).isEmpty();
            assertThat(context).hasBean(LlmAutoscaleServletAutoConfiguration.FILTER_REGISTRATION);
        });
    }

    @Test
    void switchedOffByProperty() {
        web.withPropertyValues("llm.autoscale.servlet.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(LlmAutoscale.class)
                    .doesNotHaveBean(ServletSettings.class).doesNotHaveBean(FilterRegistrationBean.class)
                    .doesNotHaveBean(ServletRegistrationBean.class);
        });
        web.withPropertyValues("llm.autoscale.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(FilterRegistrationBean.class)
                    .doesNotHaveBean(ServletRegistrationBean.class);
        });
    }

    @Test
    void noServletModuleNoServletApiNoServletApplication() {
        web.withClassLoader(new FilteredClassLoader("dev.llmautoscale.servlet")).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(LlmAutoscale.class)
                    .doesNotHaveBean(FilterRegistrationBean.class).doesNotHaveBean(ServletRegistrationBean.class);
        });
        Runners.runner().withClassLoader(new FilteredClassLoader("jakarta.servlet")).run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(LlmAutoscale.class)
                    .doesNotHaveBean(FilterRegistrationBean.class);
        });
        Runners.runner().run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(LlmAutoscale.class)
                    .doesNotHaveBean(FilterRegistrationBean.class);
        });
        new ReactiveWebApplicationContextRunner().withConfiguration(Runners.BOOT).withConfiguration(Runners.STARTER)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(LlmAutoscale.class)
                            .doesNotHaveBean(FilterRegistrationBean.class);
                });
    }

    @Test
    void userRegistrationsWin() {
        web.withUserConfiguration(UserRegistrations.class).run(context -> {
            assertThat(context.getBean(LlmAutoscaleServletAutoConfiguration.FILTER_REGISTRATION))
                    .isSameAs(context.getBean(UserRegistrations.class).filter);
            assertThat(mapping(context, "llmAutoscaleActiveRequestsServlet")).isEqualTo("/custom");
        });
    }

    @Test
    void badServletSettingsFailStartupNamingTheProperty() {
        web.withPropertyValues("llm.autoscale.servlet.drain.enabled=true",
                "llm.autoscale.servlet.drain.allow-loopback=false").run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()).getMessage())
                            .contains("llm.autoscale.servlet.drain.allow-loopback is false and no "
                                    + "llm.autoscale.servlet.drain.token is set");
                });
        web.withPropertyValues("llm.autoscale.servlet.endpoints.ready=ready").run(context -> {
            assertThat(context).hasFailed();
            assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()).getMessage())
                    .contains("llm.autoscale.servlet.endpoints.ready must be an exact path");
        });
        // the servlet module's own validation, while the properties are bound
        web.withPropertyValues("llm.autoscale.servlet.model-header=X Model").run(context -> {
            assertThat(context).hasFailed();
            assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()).getMessage())
                    .contains("llm.autoscale.servlet.model-header must be a valid HTTP header name, got 'X Model'");
        });
    }

    private static List<String> servlets(org.springframework.context.ApplicationContext context) {
        List<String> names = new ArrayList<>();
        for (String bean : context.getBeanNamesForType(ServletRegistrationBean.class)) {
            ServletRegistrationBean<?> registration = context.getBean(bean, ServletRegistrationBean.class);
            names.add(registration.getServletName());
        }
        return names;
    }

    private static String mapping(org.springframework.context.ApplicationContext context, String bean) {
        return context.getBean(bean, ServletRegistrationBean.class).getUrlMappings().iterator().next().toString();
    }

    @Configuration(proxyBeanMethods = false)
    static class UserRegistrations {
        final FilterRegistrationBean<InferenceTrackingFilter> filter = new FilterRegistrationBean<>();

        @Bean
        FilterRegistrationBean<InferenceTrackingFilter> llmAutoscaleFilterRegistration() {
            return filter;
        }

        @Bean
        ServletRegistrationBean<ActiveRequestsServlet> llmAutoscaleActiveRequestsServlet(LlmAutoscale autoscale) {
            return new ServletRegistrationBean<>(new ActiveRequestsServlet(autoscale), "/custom");
        }
    }
}
