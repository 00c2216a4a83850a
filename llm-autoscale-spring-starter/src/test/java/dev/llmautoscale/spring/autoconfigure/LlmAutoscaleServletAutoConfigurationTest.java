package dev.llmautoscale.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.servlet.InferenceTrackingFilter;
import dev.llmautoscale.servlet.LlmAutoscaleServlets;
import dev.llmautoscale.servlet.ServletAutoscaleConfig;
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
    void servletApplicationsGetTheFilterAndActiveRequests() {
        web.run(context -> {
            assertThat(context).hasNotFailed();
            FilterRegistrationBean<?> registration = context.getBean(
                    LlmAutoscaleServletAutoConfiguration.FILTER_REGISTRATION, FilterRegistrationBean.class);
            assertThat(registration.getFilter()).isInstanceOf(InferenceTrackingFilter.class);
            assertThat(registration.getFilterName()).isEqualTo(LlmAutoscaleServlets.FILTER_NAME);
            assertThat(registration.getUrlPatterns()).containsExactly("/*");
            assertThat(registration.determineDispatcherTypes()).containsExactly(DispatcherType.REQUEST);
            assertThat(registration.isAsyncSupported()).isTrue();
            assertThat(registration.getOrder()).isEqualTo(-90);

            ServletAutoscaleConfig config = ((InferenceTrackingFilter) registration.getFilter()).config();
            assertThat(config.paths()).containsExactly("/v1/completions", "/v1/chat/completions", "/v1/embeddings");
            assertThat(config.modelHeader()).isEqualTo("X-Model");
            assertThat(config.overloadStatus()).isEqualTo(429);
            // the filter shares the application's admission limits
            assertThat(config.admission()).isEqualTo(context.getBean(LlmAutoscale.class).admissionLimits());

            assertThat(servlets(context)).containsExactly("llmAutoscaleActiveRequests");
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
                    ServletAutoscaleConfig config = context.getBean(ServletAutoscaleConfig.class);
                    assertThat(config.paths()).containsExactly("/v1/{model}/generate", "/api/**");
                    assertThat(config.modelHeader()).isEqualTo("X-LLM-Model");
                    assertThat(config.bodyPeekBytes()).isZero();
                    assertThat(config.defaultModel()).isEqualTo("llama-13b");
                    assertThat(config.overloadStatus()).isEqualTo(503);
                    assertThat(config.drainEnabled()).isTrue();
                    assertThat(config.drainPath()).isEqualTo("/admin/drain");
                    assertThat(config.drainToken()).isEqualTo("s3cret");
                    assertThat(config.drainAllowLoopback()).isFalse();
                    assertThat(config.drainTimeout()).isEqualTo(Duration.ofSeconds(40));
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
            assertThat(servlets(context)).isEmpty();
            assertThat(context).hasBean(LlmAutoscaleServletAutoConfiguration.FILTER_REGISTRATION);
        });
    }

    @Test
    void switchedOffByProperty() {
        web.withPropertyValues("llm.autoscale.servlet.enabled=false").run(context -> {
            assertThat(context).hasNotFailed().hasSingleBean(LlmAutoscale.class)
                    .doesNotHaveBean(ServletAutoscaleConfig.class).doesNotHaveBean(FilterRegistrationBean.class)
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
        // the module's own checks, with the prefix of the properties they come from
        web.withPropertyValues("llm.autoscale.servlet.model-header=X Model").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("model header 'X Model'");
            assertThat(context.getStartupFailure().getMessage())
                    .contains("llm.autoscale.servlet.*: Invalid llm-autoscale servlet settings");
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
