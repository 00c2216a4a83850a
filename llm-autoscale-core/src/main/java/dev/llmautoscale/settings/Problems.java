package dev.llmautoscale.settings;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Collects what is wrong with a settings record while it is built, so that one failure names every bad key. Used by
 * the records' constructors: {@link #check} applies a {@link Setting}'s one validation, {@link #add} reports a rule
 * that spans several settings.
 */
public final class Problems {

    private final List<SettingProblem> found = new ArrayList<>();

    /**
     * Applies a setting's validation to a value.
     *
     * @param setting the setting
     * @param value its value
     * @param <T> the value type
     * @return this collector
     */
    public <T> Problems check(Setting<T> setting, @Nullable T value) {
        String p = setting.problem(value);
        if (p != null) {
            found.add(new SettingProblem(setting.key(), value == null ? null : String.valueOf(value), p));
        }
        return this;
    }

    /**
     * Reports a problem.
     *
     * @param setting the setting that is at fault
     * @param message what is wrong, without the key (it is put in front)
     * @return this collector
     */
    public Problems add(Setting<?> setting, String message) {
        found.add(new SettingProblem(setting.key(), null, setting.key() + " " + message));
        return this;
    }

    /**
     * @throws InvalidSettingsException when anything was reported
     */
    public void throwIfAny() {
        if (!found.isEmpty()) {
            throw new InvalidSettingsException(found);
        }
    }
}
