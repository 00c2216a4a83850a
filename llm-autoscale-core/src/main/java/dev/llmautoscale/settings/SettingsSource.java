package dev.llmautoscale.settings;

import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * Where a {@link SettingsReader} looks keys up: returns the raw text of a key, or {@code null} when it is not set.
 */
@FunctionalInterface
public interface SettingsSource {

    /**
     * @param key a key such as {@code llm.autoscale.admission.max-concurrency}
     * @return its text, or {@code null} when not set here
     */
    @Nullable String get(String key);

    /**
     * Keys from a map.
     *
     * @param values text by key
     * @return the source
     */
    static SettingsSource of(Map<String, String> values) {
        Objects.requireNonNull(values, "values");
        return values::get;
    }

    /**
     * Keys from Java properties (such as {@link System#getProperties()}).
     *
     * @param properties the properties
     * @return the source
     */
    static SettingsSource of(Properties properties) {
        Objects.requireNonNull(properties, "properties");
        return properties::getProperty;
    }

    /**
     * Keys from environment variables in Spring Boot's relaxed form ({@link Setting#environmentVariable(String)}:
     * {@code LLM_AUTOSCALE_ADMISSION_MAX_CONCURRENCY}).
     *
     * @param environment variables by name (such as {@link System#getenv()})
     * @return the source
     */
    static SettingsSource environment(Map<String, String> environment) {
        Objects.requireNonNull(environment, "environment");
        return key -> environment.get(Setting.environmentVariable(key));
    }

    /**
     * This source, then another for the keys this one does not set.
     *
     * @param next the source asked next
     * @return the combined source
     */
    default SettingsSource orElse(SettingsSource next) {
        Objects.requireNonNull(next, "next");
        return key -> {
            String v = get(key);
            return v != null ? v : next.get(key);
        };
    }
}
