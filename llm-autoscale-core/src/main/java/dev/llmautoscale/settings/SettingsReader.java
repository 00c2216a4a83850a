package dev.llmautoscale.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@link Setting}s from a {@link SettingsSource} and collects every problem, so that one failure names every
 * bad key. A key that is absent or blank keeps its default.
 *
 * <pre>{@code
 * SettingsReader reader = new SettingsReader(SettingsSource.of(System.getProperties()));
 * AdmissionLimits limits = AdmissionSettings.read(reader);
 * reader.throwIfInvalid();
 * }</pre>
 */
public final class SettingsReader {

    private final SettingsSource source;
    private final List<SettingProblem> problems = new ArrayList<>();

    /**
     * @param source where keys are looked up
     */
    public SettingsReader(SettingsSource source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /**
     * Reads and validates one setting.
     *
     * @param setting the setting
     * @param <T> its type
     * @return its value, or its default when unset or invalid (the problem is kept)
     */
    public <T> @Nullable T get(Setting<T> setting) {
        String raw = source.get(setting.key());
        if (raw != null && raw.isBlank() && setting.emptyMeansOff()) {
            return null;
        }
        if (raw == null || raw.isBlank()) {
            return setting.defaultValue();
        }
        T value;
        try {
            value = setting.parse(raw);
        } catch (IllegalArgumentException e) {
            problems.add(new SettingProblem(setting.key(), raw.trim(), setting.key() + " " + e.getMessage()
                    + " (environment variable " + setting.environmentVariable() + ")"));
            return setting.defaultValue();
        }
        String p = setting.problem(value);
        if (p != null) {
            problems.add(new SettingProblem(setting.key(), raw.trim(), p));
            return setting.defaultValue();
        }
        return value;
    }

    /**
     * Builds a settings record, keeping the problems its constructor reports.
     *
     * @param build builds the record from values read with {@link #get}
     * @param fallback the record to use when building fails (the problems are kept)
     * @param <R> the record type
     * @return the record, or {@code fallback}
     */
    public <R> R build(Supplier<R> build, R fallback) {
        try {
            return build.get();
        } catch (InvalidSettingsException e) {
            problems.addAll(e.problems());
            return fallback;
        }
    }

    /**
     * @return the problems found so far
     */
    public List<SettingProblem> problems() {
        return List.copyOf(problems);
    }

    /**
     * @throws InvalidSettingsException when any setting read so far is bad
     */
    public void throwIfInvalid() {
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
    }
}
