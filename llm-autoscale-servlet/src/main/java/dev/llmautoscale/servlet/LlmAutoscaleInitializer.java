package dev.llmautoscale.servlet;

import dev.llmautoscale.LlmAutoscale;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the filter and endpoints automatically when this jar is on the class path of a container that runs
 * {@code ServletContainerInitializer}s (listed in {@code META-INF/services/jakarta.servlet.ServletContainerInitializer}).
 *
 * <p>Settings come from system properties, environment variables and context init parameters (see
 * {@link ServletAutoscaleConfig}); {@code llm.autoscale.enabled=false} (or {@code LLM_AUTOSCALE_ENABLED=false})
 * switches it off. The {@link LlmAutoscale} is taken from the context attribute
 * {@link LlmAutoscaleServlets#AUTOSCALE_ATTRIBUTE} when the application sets it (before the filter starts, e.g. in a
 * {@code ServletContextListener}); otherwise one is built. Invalid settings fail the deployment with a message
 * naming each bad key.
 */
public final class LlmAutoscaleInitializer implements ServletContainerInitializer {

    private static final Logger log = LoggerFactory.getLogger(LlmAutoscaleInitializer.class);

    /** Called by the container. */
    public LlmAutoscaleInitializer() {
    }

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext ctx) throws ServletException {
        ServletAutoscaleConfig config;
        try {
            config = LlmAutoscaleServlets.config(ctx);
        } catch (IllegalArgumentException e) {
            throw new ServletException(e.getMessage(), e);
        }
        if (!config.enabled()) {
            log.info("llm-autoscale: disabled by {}=false; no filter or endpoints registered",
                    ServletAutoscaleConfig.ENABLED);
            return;
        }
        List<String> unknown = ConfigSources.standard(ctx, null).unknown(ctx);
        if (!unknown.isEmpty()) {
            log.info("llm-autoscale: these settings are not read by the servlet integration (a typo?): {}", unknown);
        }
        Object present = ctx.getAttribute(LlmAutoscaleServlets.AUTOSCALE_ATTRIBUTE);
        try {
            LlmAutoscaleServlets.register(ctx, present instanceof LlmAutoscale ? (LlmAutoscale) present : null, config);
        } catch (IllegalStateException e) {
            throw new ServletException(e.getMessage(), e);
        }
    }
}
