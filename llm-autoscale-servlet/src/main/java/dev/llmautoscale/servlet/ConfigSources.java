package dev.llmautoscale.servlet;

import dev.llmautoscale.CoreKeys;
import dev.llmautoscale.settings.Setting;
import dev.llmautoscale.settings.SettingsSource;
import jakarta.servlet.ServletContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Where the servlet module reads keys, first match wins: system properties, environment variables (Spring Boot's
 * relaxed form, {@link Setting#environmentVariable(String)}), context init parameters. Operators override what the
 * application packaged, as is usual for deployment settings.
 */
final class ConfigSources implements SettingsSource {

    private final Properties system;
    private final Map<String, String> environment;
    private final Function<String, @Nullable String> context;

    ConfigSources(Properties system, Map<String, String> environment, Function<String, @Nullable String> context) {
        this.system = system;
        this.environment = environment;
        this.context = context;
    }

    /**
     * @param ctx the servlet context (its init parameters are the last source), or {@code null}
     * @return the standard sources
     */
    static ConfigSources standard(@Nullable ServletContext ctx) {
        return new ConfigSources(System.getProperties(), System.getenv(),
                ctx == null ? key -> null : ctx::getInitParameter);
    }

    @Override
    public @Nullable String get(String key) {
        String v = system.getProperty(key);
        if (v == null) {
            v = environment.get(Setting.environmentVariable(key));
        }
        if (v == null) {
            v = context.apply(key);
        }
        return v;
    }

    /** @return every key the servlet module reads: the core's and its own */
    static Set<String> known() {
        Set<String> keys = new HashSet<>();
        CoreKeys.ALL.forEach(s -> keys.add(s.key()));
        ServletKeys.ALL.stream().filter(s -> s.scope() != Setting.Scope.SPRING).forEach(s -> keys.add(s.key()));
        return keys;
    }

    /**
     * Settings that look like ours but are not read by this module (typos, renamed keys, or keys of the Spring Boot
     * starter only), for a log line.
     *
     * @param ctx the servlet context whose init parameters to check
     * @return descriptions of the unknown settings
     */
    List<String> unknown(@Nullable ServletContext ctx) {
        Set<String> known = known();
        List<String> out = new ArrayList<>();
        for (String name : system.stringPropertyNames()) {
            if (name.startsWith(Setting.PREFIX) && !known.contains(name)) {
                out.add("system property " + name);
            }
        }
        Set<String> envNames = new HashSet<>();
        known.forEach(k -> envNames.add(Setting.environmentVariable(k)));
        String envPrefix = Setting.environmentVariable(Setting.PREFIX);
        for (String name : environment.keySet()) {
            if (name.startsWith(envPrefix) && !envNames.contains(name) && !name.startsWith(envPrefix + "NVML_")) {
                out.add("environment variable " + name);
            }
        }
        if (ctx != null) {
            for (String name : Collections.list(ctx.getInitParameterNames())) {
                if (name.startsWith(Setting.PREFIX) && !known.contains(name)) {
                    out.add("context parameter " + name);
                }
            }
        }
        Collections.sort(out);
        return out;
    }
}
