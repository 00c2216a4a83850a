package dev.llmautoscale.servlet;

import dev.llmautoscale.CoreKeys;
import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.admission.AdmissionKeys;
import dev.llmautoscale.admission.AdmissionLimits;
import dev.llmautoscale.gpu.GpuKeys;
import dev.llmautoscale.gpu.GpuTelemetryOptions;
import dev.llmautoscale.metrics.InferenceMetricsConfig;
import dev.llmautoscale.metrics.MetricsKeys;
import dev.llmautoscale.settings.InvalidSettingsException;
import dev.llmautoscale.settings.SettingsReader;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zero-code registration, off unless asked for: with {@code llm.autoscale.servlet.auto-register=true} (a context
 * init parameter in {@code web.xml}, a system property, or {@code LLM_AUTOSCALE_SERVLET_AUTO_REGISTER=true}), a
 * container that runs {@code ServletContainerInitializer}s (Tomcat, a Jetty {@code WebAppContext}) builds an
 * {@link LlmAutoscale} from the keys ({@code llm.autoscale.admission.*}, {@code metrics.*}, {@code gpu.*},
 * {@code lifecycle.*}) on a {@code PrometheusMeterRegistry} (a {@code SimpleMeterRegistry} without
 * {@code micrometer-registry-prometheus}), warms it up when {@code llm.autoscale.lifecycle.enabled} (no hooks: ready
 * at once), and {@linkplain LlmAutoscaleServlets#register registers} the filter and endpoints with it. When the
 * context stops the instance is drained and closed. Invalid settings fail the deployment with a message naming
 * each bad key.
 *
 * <p>Without the switch, the jar on a WAR's class path installs nothing (one log line says how to switch it on):
 * an application with a model to load registers its own instance, with its warm-up hooks, through
 * {@link LlmAutoscaleServlets#register}.
 */
public final class LlmAutoscaleInitializer implements ServletContainerInitializer {

    /**
     * Context attribute where the instance this initializer built is published, for the application to use (this
     * library never reads it back).
     */
    public static final String AUTOSCALE_ATTRIBUTE = LlmAutoscale.class.getName();
    /** Context attribute where the {@link ServletInstallation} is published (such as the metrics server's port). */
    public static final String INSTALLATION_ATTRIBUTE = ServletInstallation.class.getName();

    private static final Logger log = LoggerFactory.getLogger(LlmAutoscaleInitializer.class);
    /** The keys that decide whether anything happens: a bad value there fails the deployment. */
    private static final Set<String> SWITCHES = Set.of(CoreKeys.ENABLED.key(), ServletKeys.ENABLED.key(),
            ServletKeys.AUTO_REGISTER.key());

    /** Called by the container. */
    public LlmAutoscaleInitializer() {
    }

    @Override
    public void onStartup(@Nullable Set<Class<?>> classes, ServletContext ctx) throws ServletException {
        ConfigSources sources = ConfigSources.standard(ctx);
        SettingsReader reader = new SettingsReader(sources);
        ServletSettings settings = ServletSettings.read(reader);
        AdmissionLimits admission = AdmissionKeys.read(reader);
        InferenceMetricsConfig metrics = MetricsKeys.read(reader);
        GpuTelemetryOptions gpu = GpuKeys.read(reader);
        boolean gpuAffectsReadiness = reader.get(GpuKeys.AFFECTS_READINESS);
        boolean switchMisread = reader.problems().stream().anyMatch(p -> SWITCHES.contains(p.key()));
        if ((!settings.autoRegister() || !settings.enabled()) && !switchMisread) {
            log.info("llm-autoscale: zero-code registration is off for context '{}' (set {}=true to install the "
                    + "filter and endpoints with an instance built from llm.autoscale.* keys)",
                    ctx.getContextPath(), ServletKeys.AUTO_REGISTER.key());
            return;
        }
        try {
            reader.throwIfInvalid();
        } catch (InvalidSettingsException e) {
            throw new ServletException(e.getMessage(), e);
        }
        List<String> unknown = sources.unknown(ctx);
        if (!unknown.isEmpty()) {
            log.info("llm-autoscale: these settings are not read by the servlet integration (a typo, a renamed key "
                    + "or a Spring Boot starter key? see docs/CONFIGURATION.md): {}", unknown);
        }
        MeterRegistry registry = PrometheusSupport.PRESENT ? PrometheusSupport.newRegistry() : new SimpleMeterRegistry();
        LlmAutoscale autoscale = LlmAutoscale.builder(registry).admission(admission).metrics(metrics).gpu(gpu)
                .gpuAffectsReadiness(gpuAffectsReadiness).build();
        ServletInstallation installation;
        try {
            installation = LlmAutoscaleServlets.register(ctx, autoscale, settings);
        } catch (IllegalStateException e) {
            autoscale.close();
            throw new ServletException(e.getMessage(), e);
        }
        ctx.addListener(new Owned(autoscale, installation));
        ctx.setAttribute(AUTOSCALE_ATTRIBUTE, autoscale);
        ctx.setAttribute(INSTALLATION_ATTRIBUTE, installation);
        log.info("llm-autoscale: built an instance for context '{}' ({}, admission {})", ctx.getContextPath(),
                registry.getClass().getSimpleName(), admission);
        if (settings.lifecycle().enabled()) {
            autoscale.lifecycle().warmUpAsync();
        }
    }

    /** Stops and closes the instance this initializer built when its context stops. */
    private static final class Owned implements ServletContextListener {
        private final LlmAutoscale autoscale;
        private final ServletInstallation installation;

        Owned(LlmAutoscale autoscale, ServletInstallation installation) {
            this.autoscale = autoscale;
            this.installation = installation;
        }

        @Override
        public void contextDestroyed(ServletContextEvent sce) {
            sce.getServletContext().removeAttribute(AUTOSCALE_ATTRIBUTE);
            sce.getServletContext().removeAttribute(INSTALLATION_ATTRIBUTE);
            installation.close();
            autoscale.lifecycle().stop();
            autoscale.close();
        }
    }
}
