package dev.llmautoscale.servlet;

import jakarta.servlet.ServletContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

/**
 * Where settings come from, first match wins: system properties, environment variables
 * ({@link ServletAutoscaleConfig#environmentVariable}), extra parameters (a filter's init parameters), context init
 * parameters. Operators override what the application packaged, as is usual for deployment settings.
 */
final class ConfigSources implements Function<String, String> {

    private final Properties system;
    private final Map<String, String> environment;
    private final Function<String, String> extra;
    private final Function<String, String> context;

    ConfigSources(Properties system, Map<String, String> environment, Function<String, String> extra,
            Function<String, String> context) {
        this.system = system;
        this.environment = environment;
        this.extra = extra;
        this.context = context;
    }

    /**
     * @param ctx the servlet context (its init parameters are the last source)
     * @param extra more specific parameters, or {@code null}
     * @return the standard sources
     */
    static ConfigSources standard(ServletContext ctx, Function<String, String> extra) {
        return new ConfigSources(System.getProperties(), System.getenv(), extra,
                ctx == null ? key -> null : ctx::getInitParameter);
    }

    @Override
    public String apply(String key) {
        String v = system.getProperty(key);
        if (v == null) {
            v = environment.get(ServletAutoscaleConfig.environmentVariable(key));
        }
        if (v == null && extra != null) {
            v = extra.apply(key);
        }
        if (v == null) {
            v = context.apply(key);
        }
        return v;
    }

    /**
     * Settings that look like ours but are not read by this module (typos, or settings of another integration such
     * as the Spring Boot starter), for a log line.
     *
     * @param ctx the servlet context whose init parameters to check
     * @return descriptions of the unknown settings
     */
    List<String> unknown(ServletContext ctx) {
        List<String> out = new ArrayList<>();
        for (String name : system.stringPropertyNames()) {
            if (name.startsWith(ServletAutoscaleConfig.PREFIX) && !ServletAutoscaleConfig.KEYS.contains(name)) {
                out.add("system property " + name);
            }
        }
        List<String> envNames = new ArrayList<>();
        for (String key : ServletAutoscaleConfig.KEYS) {
            envNames.add(ServletAutoscaleConfig.environmentVariable(key));
        }
        String envPrefix = ServletAutoscaleConfig.environmentVariable(ServletAutoscaleConfig.PREFIX);
        for (String name : environment.keySet()) {
            if (name.startsWith(envPrefix) && !envNames.contains(name)) {
                out.add("environment variable " + name);
            }
        }
        if (ctx != null) {
            for (String name : Collections.list(ctx.getInitParameterNames())) {
                if (name.startsWith(ServletAutoscaleConfig.PREFIX) && !ServletAutoscaleConfig.KEYS.contains(name)) {
                    out.add("context parameter " + name);
                }
            }
        }
        return out;
    }
}
