package dev.llmautoscale.servlet;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.lifecycle.DrainTrigger;
import dev.llmautoscale.servlet.endpoint.ActiveRequestsServlet;
import dev.llmautoscale.servlet.endpoint.AutoscalingServlet;
import dev.llmautoscale.servlet.endpoint.DrainServlet;
import dev.llmautoscale.servlet.endpoint.EndpointKeys;
import dev.llmautoscale.servlet.endpoint.EndpointSettings;
import dev.llmautoscale.servlet.endpoint.HealthServlet;
import dev.llmautoscale.servlet.endpoint.ReadyServlet;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the tracking filter and the endpoints on a servlet context, each built with its collaborators from the
 * given {@link LlmAutoscale}:
 * <pre>{@code
 * // in a ServletContainerInitializer, a ServletContextListener, or while an embedded context is configured
 * ServletInstallation installed = LlmAutoscaleServlets.register(servletContext, autoscale,
 *         ServletSettings.read(SettingsSource.of(System.getProperties())));
 * }</pre>
 * For zero-code registration see {@link LlmAutoscaleInitializer} (switched on by
 * {@code llm.autoscale.servlet.auto-register=true}).
 */
public final class LlmAutoscaleServlets {

    /** Registration name of the filter. */
    public static final String FILTER_NAME = "llmAutoscaleFilter";

    private static final Logger log = LoggerFactory.getLogger(LlmAutoscaleServlets.class);

    private LlmAutoscaleServlets() {
    }

    /**
     * Registers the filter on {@code /*} (first in the chain, async supported), the enabled endpoints, starts the
     * separate metrics server when its port is set, and watches the drain trigger file when one is set
     * ({@link DrainTrigger}, {@code llm.autoscale.lifecycle.drain-trigger-file}, default {@code /tmp/shutdown}). Names or paths already taken are skipped with a warning. Must
     * run while the context is starting. When the context stops, the metrics server and the watch are stopped (if a
     * listener could be added; else close the returned installation).
     *
     * @param ctx the context being started
     * @param autoscale the instance whose tracker, lifecycle and meters to use
     * @param settings what to install
     * @return what was installed
     * @throws IllegalStateException when the metrics server cannot start
     */
    public static ServletInstallation register(ServletContext ctx, LlmAutoscale autoscale, ServletSettings settings) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(autoscale, "autoscale");
        Objects.requireNonNull(settings, "settings");
        if (!settings.enabled()) {
            log.info("llm-autoscale: switched off (llm.autoscale.enabled / llm.autoscale.servlet.enabled); no filter "
                    + "or endpoints registered");
            return new ServletInstallation(null, null);
        }
        FilterRegistration.Dynamic filter = ctx.addFilter(FILTER_NAME,
                new InferenceTrackingFilter(autoscale, settings.filter()));
        if (filter == null) {
            log.warn("llm-autoscale: a filter named '{}' is already registered; not registering it again",
                    FILTER_NAME);
        } else {
            filter.setAsyncSupported(true);
            filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC), false, "/*");
        }
        EndpointSettings e = settings.endpoints();
        if (e.enabled()) {
            servlet(ctx, "llmAutoscaleHealth", e.health(), () -> new HealthServlet(autoscale.lifecycle()));
            servlet(ctx, "llmAutoscaleReady", e.ready(), () -> new ReadyServlet(autoscale.lifecycle()));
            servlet(ctx, "llmAutoscaleActiveRequests", e.activeRequests(),
                    () -> new ActiveRequestsServlet(autoscale));
            servlet(ctx, "llmAutoscaleAutoscaling", e.autoscaling(), () -> new AutoscalingServlet(autoscale));
            if (e.metrics() != null) {
                Optional<Servlet> metrics = PrometheusSupport.PRESENT
                        ? PrometheusSupport.metricsServlet(autoscale.registry()) : Optional.empty();
                if (metrics.isPresent()) {
                    servlet(ctx, "llmAutoscaleMetrics", e.metrics(), metrics::get);
                } else {
                    log.info("llm-autoscale: no PrometheusMeterRegistry behind the instance's registry (or "
                            + "micrometer-registry-prometheus is absent); no {} endpoint", e.metrics());
                }
            }
            if (settings.drain().enabled()) {
                servlet(ctx, "llmAutoscaleDrain", settings.drain().path(),
                        () -> new DrainServlet(autoscale, settings.drain(), settings.lifecycle().drainTimeout()));
            }
        }
        PrometheusSupport.Running server = settings.metricsServer().enabled() ? startMetricsServer(autoscale, settings)
                : null;
        // The guide's preStop touch: watched on one daemon thread, stopped with the installation.
        DrainTrigger trigger = DrainTrigger.start(settings.lifecycle(), autoscale.lifecycle());
        ServletInstallation installation = new ServletInstallation(filter == null ? null : FILTER_NAME, server,
                trigger);
        if (server != null || trigger != null) {
            try {
                ctx.addListener(new StopOnDestroy(installation));
            } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException ex) {
                log.debug("llm-autoscale: cannot add a listener here; close the ServletInstallation when the context "
                        + "stops", ex);
            }
        }
        return installation;
    }

    private static void servlet(ServletContext ctx, String name, @Nullable String path,
            java.util.function.Supplier<Servlet> servlet) {
        if (path == null) {
            return;
        }
        ServletRegistration.Dynamic reg = ctx.addServlet(name, servlet.get());
        if (reg == null) {
            log.warn("llm-autoscale: a servlet named '{}' is already registered; {} not registered again", name, path);
            return;
        }
        reg.setLoadOnStartup(1);
        Set<String> conflicts = reg.addMapping(path);
        if (!conflicts.isEmpty()) {
            log.warn("llm-autoscale: {} is already mapped by the application; the {} endpoint is not registered",
                    conflicts, name);
        }
    }

    private static PrometheusSupport.@Nullable Running startMetricsServer(LlmAutoscale autoscale, ServletSettings settings) {
        String key = EndpointKeys.METRICS_SERVER_PORT.key();
        if (!PrometheusSupport.PRESENT || !PrometheusSupport.HTTP_SERVER_PRESENT) {
            log.warn("llm-autoscale: {} is set but micrometer-registry-prometheus or "
                    + "io.prometheus:prometheus-metrics-exporter-httpserver is not on the class path", key);
            return null;
        }
        try {
            Optional<PrometheusSupport.Running> server = PrometheusSupport.startServer(autoscale.registry(),
                    settings.metricsServer());
            if (server.isEmpty()) {
                log.warn("llm-autoscale: {} is set but the instance's registry holds no PrometheusMeterRegistry", key);
            }
            return server.orElse(null);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the metrics server on port "
                    + settings.metricsServer().port() + " (" + key + "): " + e.getMessage(), e);
        }
    }

    /** Stops what an installation started when its context stops. */
    private static final class StopOnDestroy implements ServletContextListener {
        private final ServletInstallation installation;

        StopOnDestroy(ServletInstallation installation) {
            this.installation = installation;
        }

        @Override
        public void contextDestroyed(ServletContextEvent sce) {
            installation.close();
        }
    }
}
