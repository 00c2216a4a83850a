package dev.llmautoscale.servlet;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.servlet.endpoint.ActiveRequestsServlet;
import dev.llmautoscale.servlet.endpoint.AutoscalingServlet;
import dev.llmautoscale.servlet.endpoint.DrainServlet;
import dev.llmautoscale.servlet.endpoint.HealthServlet;
import dev.llmautoscale.servlet.endpoint.MetricsServlet;
import dev.llmautoscale.servlet.endpoint.ReadyServlet;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the filter and the endpoints on a servlet context, and finds the {@link LlmAutoscale} of a context.
 *
 * <p>Programmatic use, from a {@code ServletContainerInitializer} or while a context is being configured:
 * <pre>{@code
 * servletContext.setAttribute(LlmAutoscaleServlets.AUTOSCALE_ATTRIBUTE, autoscale);   // optional
 * LlmAutoscaleServlets.register(servletContext, autoscale, ServletAutoscaleConfig.defaults());
 * }</pre>
 * With the jar on the class path of a container that runs {@code ServletContainerInitializer}s (Tomcat, a Jetty
 * {@code WebAppContext}, Spring Boot's embedded containers do not), {@link LlmAutoscaleInitializer} does this
 * automatically.
 */
public final class LlmAutoscaleServlets {

    /** Context attribute holding the {@link LlmAutoscale} to use; set it to share the application's instance. */
    public static final String AUTOSCALE_ATTRIBUTE = LlmAutoscale.class.getName();
    /** Context attribute holding a {@link ServletAutoscaleConfig}; when set, no property is parsed. */
    public static final String CONFIG_ATTRIBUTE = ServletAutoscaleConfig.class.getName();
    /** Registration name of the filter. */
    public static final String FILTER_NAME = "llmAutoscaleFilter";

    private static final String STATE_ATTRIBUTE = LlmAutoscaleServlets.class.getName() + ".state";
    private static final Logger log = LoggerFactory.getLogger(LlmAutoscaleServlets.class);
    private static final Object LOCK = new Object();
    /** Whether {@code micrometer-registry-prometheus} (an optional dependency) is on the class path. */
    static final boolean PROMETHEUS = present("io.micrometer.prometheusmetrics.PrometheusMeterRegistry");

    private LlmAutoscaleServlets() {
    }

    /**
     * Registers the filter on {@code /*} (first in the chain, async supported) and the enabled endpoints. Names or
     * paths already taken are skipped with a warning, so registering twice is harmless. Must run while the context
     * is starting (from a {@code ServletContainerInitializer} or a {@code ServletContextListener}).
     *
     * @param ctx the context being started
     * @param autoscale the instance to use; {@code null} to take it from {@link #AUTOSCALE_ATTRIBUTE} when the filter
     *     starts (an application listener may set it) or build one
     * @param config the settings
     */
    public static void register(ServletContext ctx, LlmAutoscale autoscale, ServletAutoscaleConfig config) {
        Objects.requireNonNull(ctx, "ctx");
        Objects.requireNonNull(config, "config");
        if (autoscale != null) {
            Object present = ctx.getAttribute(AUTOSCALE_ATTRIBUTE);
            if (present != null && present != autoscale) {
                throw new IllegalStateException("the servlet context already holds another LlmAutoscale in "
                        + AUTOSCALE_ATTRIBUTE);
            }
            ctx.setAttribute(AUTOSCALE_ATTRIBUTE, autoscale);
        }
        if (ctx.getAttribute(CONFIG_ATTRIBUTE) == null) {
            ctx.setAttribute(CONFIG_ATTRIBUTE, config);
        }
        FilterRegistration.Dynamic filter = ctx.addFilter(FILTER_NAME, new InferenceTrackingFilter(config));
        if (filter == null) {
            log.warn("llm-autoscale: a filter named '{}' is already registered; not registering it again",
                    FILTER_NAME);
        } else {
            filter.setAsyncSupported(true);
            filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        }
        if (config.endpointsEnabled()) {
            servlet(ctx, "llmAutoscaleHealth", config.healthPath(), new HealthServlet());
            servlet(ctx, "llmAutoscaleReady", config.readyPath(), new ReadyServlet());
            servlet(ctx, "llmAutoscaleActiveRequests", config.activeRequestsPath(), new ActiveRequestsServlet());
            servlet(ctx, "llmAutoscaleAutoscaling", config.autoscalingPath(), new AutoscalingServlet());
            if (config.metricsPath() != null) {
                if (PROMETHEUS) {
                    servlet(ctx, "llmAutoscaleMetrics", config.metricsPath(), new MetricsServlet());
                } else {
                    log.info("llm-autoscale: micrometer-registry-prometheus is not on the class path; no {} endpoint",
                            config.metricsPath());
                }
            }
            if (config.drainEnabled()) {
                servlet(ctx, "llmAutoscaleDrain", config.drainPath(), new DrainServlet());
            }
        }
        try {
            ctx.addListener(new Cleanup());
        } catch (IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
            log.debug("llm-autoscale: cannot add the cleanup listener here; call LlmAutoscaleServlets.release "
                    + "when the context stops", e);
        }
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, LlmAutoscaleServlets.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static void servlet(ServletContext ctx, String name, String path, Servlet servlet) {
        if (path == null) {
            return;
        }
        ServletRegistration.Dynamic reg = ctx.addServlet(name, servlet);
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

    /**
     * The settings of a context: the {@link #CONFIG_ATTRIBUTE} object when set, else parsed from system properties,
     * environment variables and context init parameters.
     *
     * @param ctx the context
     * @return the settings
     * @throws IllegalArgumentException when a setting is invalid
     */
    public static ServletAutoscaleConfig config(ServletContext ctx) {
        return config(ctx, null);
    }

    /**
     * Like {@link #config(ServletContext)}, with more specific parameters (a filter's init parameters) that come
     * after environment variables and before context init parameters.
     *
     * @param ctx the context
     * @param extra parameters by key, or {@code null}
     * @return the settings
     */
    public static ServletAutoscaleConfig config(ServletContext ctx, Function<String, String> extra) {
        Object set = ctx.getAttribute(CONFIG_ATTRIBUTE);
        if (set instanceof ServletAutoscaleConfig) {
            return (ServletAutoscaleConfig) set;
        }
        return ServletAutoscaleConfig.parse(ConfigSources.standard(ctx, extra));
    }

    /**
     * The {@link LlmAutoscale} of a context: the one in {@link #AUTOSCALE_ATTRIBUTE}, else one built (once) from
     * {@link #config(ServletContext)} on a {@code PrometheusMeterRegistry} (a {@code SimpleMeterRegistry} without
     * {@code micrometer-registry-prometheus}), stored in the attribute, and warmed up when
     * {@link ServletAutoscaleConfig#warmUpOnStart()} (so it becomes ready; an application with a model to load puts
     * its own instance, with warm-up hooks, in the attribute). The first call also starts the separate metrics
     * server when {@link ServletAutoscaleConfig#metricsPort()} is set.
     *
     * @param ctx the context
     * @return the instance
     * @throws IllegalStateException when the attribute holds something else
     */
    public static LlmAutoscale autoscale(ServletContext ctx) {
        synchronized (LOCK) {
            Object st = ctx.getAttribute(STATE_ATTRIBUTE);
            if (st instanceof State) {
                return ((State) st).autoscale;
            }
            ServletAutoscaleConfig config = config(ctx);
            Object present = ctx.getAttribute(AUTOSCALE_ATTRIBUTE);
            LlmAutoscale autoscale;
            boolean owned;
            if (present instanceof LlmAutoscale) {
                autoscale = (LlmAutoscale) present;
                owned = false;
            } else if (present != null) {
                throw new IllegalStateException("context attribute " + AUTOSCALE_ATTRIBUTE + " holds a "
                        + present.getClass().getName() + ", not an LlmAutoscale");
            } else {
                MeterRegistry registry = PROMETHEUS ? PrometheusSupport.newRegistry()
                        : new SimpleMeterRegistry();
                autoscale = LlmAutoscale.builder(registry)
                        .admission(config.admission())
                        .metrics(config.metrics())
                        .build();
                owned = true;
                ctx.setAttribute(AUTOSCALE_ATTRIBUTE, autoscale);
                log.info("llm-autoscale: built an instance for context '{}' ({}, admission {})",
                        ctx.getContextPath(), registry.getClass().getSimpleName(), config.admission());
            }
            State state = new State(autoscale, owned);
            if (config.metricsPort() >= 0) {
                state.metricsServer = startMetricsServer(autoscale, config);
            }
            ctx.setAttribute(STATE_ATTRIBUTE, state);
            if (owned && config.warmUpOnStart()) {
                autoscale.lifecycle().warmUpAsync();
            }
            return autoscale;
        }
    }

    private static PrometheusSupport.Server startMetricsServer(LlmAutoscale autoscale, ServletAutoscaleConfig config) {
        if (!PROMETHEUS) {
            log.warn("llm-autoscale: {} is set but micrometer-registry-prometheus is not on the class path",
                    ServletAutoscaleConfig.METRICS_PORT);
            return null;
        }
        try {
            Optional<PrometheusSupport.Server> server = PrometheusSupport.startServer(autoscale.registry(),
                    config.metricsBindAddress(), config.metricsPort());
            if (server.isEmpty()) {
                log.warn("llm-autoscale: {} is set but the LlmAutoscale registry holds no PrometheusMeterRegistry",
                        ServletAutoscaleConfig.METRICS_PORT);
            }
            return server.orElse(null);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the metrics server on port " + config.metricsPort()
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * The port of the separate metrics server of a context.
     *
     * @param ctx the context
     * @return the port it listens on, or empty when none runs
     */
    public static OptionalInt metricsServerPort(ServletContext ctx) {
        Object st = ctx.getAttribute(STATE_ATTRIBUTE);
        if (st instanceof State && ((State) st).metricsServer != null) {
            return OptionalInt.of(((State) st).metricsServer.port());
        }
        return OptionalInt.empty();
    }

    /**
     * Stops what {@link #autoscale(ServletContext)} started for a context: the separate metrics server, and an
     * instance it built (stopped and closed). Done automatically when the context stops, if {@link #register} could
     * add its listener.
     *
     * @param ctx the context
     */
    public static void release(ServletContext ctx) {
        State state;
        synchronized (LOCK) {
            Object st = ctx.getAttribute(STATE_ATTRIBUTE);
            if (!(st instanceof State)) {
                return;
            }
            state = (State) st;
            ctx.removeAttribute(STATE_ATTRIBUTE);
            if (state.owned) {
                ctx.removeAttribute(AUTOSCALE_ATTRIBUTE);
            }
        }
        if (state.metricsServer != null) {
            try {
                state.metricsServer.close();
            } catch (RuntimeException e) {
                log.warn("llm-autoscale: stopping the metrics server failed", e);
            }
        }
        if (state.owned) {
            state.autoscale.lifecycle().stop();
            state.autoscale.close();
        }
    }

    private static final class State {
        final LlmAutoscale autoscale;
        final boolean owned;
        PrometheusSupport.Server metricsServer;

        State(LlmAutoscale autoscale, boolean owned) {
            this.autoscale = autoscale;
            this.owned = owned;
        }
    }

    /** Releases a context's resources when it stops. */
    private static final class Cleanup implements ServletContextListener {
        @Override
        public void contextDestroyed(ServletContextEvent sce) {
            release(sce.getServletContext());
        }
    }
}
