package dev.llmautoscale.settings;

/**
 * One bad setting.
 *
 * @param key the key, such as {@code llm.autoscale.admission.max-concurrency}
 * @param value the value as given (its text), or {@code null} when not known
 * @param message what is wrong and what is allowed, starting with the key
 */
public record SettingProblem(String key, String value, String message) {

    @Override
    public String toString() {
        return value == null ? message : message + " (value '" + value + "')";
    }
}
