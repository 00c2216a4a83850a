package dev.llmautoscale.settings;

import org.jspecify.annotations.Nullable;

/**
 * One bad setting.
 *
 * @param key the key, such as {@code llm.autoscale.admission.max-concurrency}
 * @param value the value as given (its text), or {@code null} when not known
 * @param message what is wrong and what is allowed, starting with the key
 */
public record SettingProblem(String key, @Nullable String value, String message) {

    @Override
    public String toString() {
        return value == null ? message : message + " (value '" + value + "')";
    }
}
