package dev.llmautoscale.settings;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One setting: its key under {@code llm.autoscale.*}, its type, its one default, its one validation and its
 * description. Each settings record declares its settings next to it (such as
 * {@link dev.llmautoscale.admission.AdmissionSettings}); the servlet module reads them with a {@link SettingsReader},
 * the Spring Boot starter binds the same keys with {@code @ConfigurationProperties} and validates through the same
 * record, and {@code docs/CONFIGURATION.md} lists them all.
 *
 * <p>Text forms, the same as Spring Boot's: booleans {@code true}/{@code false}; whole numbers; durations
 * {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, {@code 1d}, ISO-8601 ({@code PT30S}) or a bare number of
 * seconds; lists comma-separated; per-model limits {@code model=limit,model=limit}.
 *
 * @param <T> the value type
 */
public final class Setting<T> {

    /** The prefix of every key. */
    public static final String PREFIX = "llm.autoscale.";

    /** Which integrations read a setting. */
    public enum Scope {
        /** Read by the servlet module and bound by the Spring Boot starter, with the same meaning. */
        ALL,
        /** Only the servlet module reads it (the starter uses a Spring Boot mechanism instead). */
        SERVLET,
        /** Only the Spring Boot starter binds it. */
        SPRING
    }

    private final String key;
    private final String type;
    private final @Nullable T defaultValue;
    private final String defaultText;
    private final Function<String, T> parser;
    private final Function<T, @Nullable String> check;
    private final String allowed;
    private final String description;
    private final Scope scope;
    private final boolean emptyMeansOff;

    private Setting(String key, String type, @Nullable T defaultValue, String defaultText, Function<String, T> parser,
            Function<T, @Nullable String> check, String allowed, String description, Scope scope) {
        this(key, type, defaultValue, defaultText, parser, check, allowed, description, scope, false);
    }

    private Setting(String key, String type, @Nullable T defaultValue, String defaultText, Function<String, T> parser,
            Function<T, @Nullable String> check, String allowed, String description, Scope scope,
            boolean emptyMeansOff) {
        if (!key.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a setting key must start with " + PREFIX + ": " + key);
        }
        this.key = key;
        this.type = type;
        this.defaultValue = defaultValue;
        this.defaultText = defaultText;
        this.parser = parser;
        this.check = check;
        this.allowed = allowed;
        this.description = description;
        this.scope = scope;
        this.emptyMeansOff = emptyMeansOff;
    }

    /**
     * A boolean setting.
     *
     * @param key the key
     * @param dflt the default
     * @param description what it does
     * @return the setting
     */
    public static Setting<Boolean> bool(String key, boolean dflt, String description) {
        return new Setting<>(key, "boolean", dflt, Boolean.toString(dflt), Setting::parseBoolean, v -> null,
                "true, false", description, Scope.ALL);
    }

    /**
     * A whole-number setting with a range.
     *
     * @param key the key
     * @param dflt the default
     * @param min the smallest value allowed
     * @param max the largest value allowed
     * @param note what special values mean, such as {@code "0 = unlimited"}, or empty
     * @param description what it does
     * @return the setting
     */
    public static Setting<Integer> integer(String key, int dflt, int min, int max, String note, String description) {
        String range = min == Integer.MIN_VALUE && max == Integer.MAX_VALUE ? "any whole number"
                : max == Integer.MAX_VALUE ? "at least " + min : "from " + min + " to " + max;
        String suffix = note.isEmpty() ? "" : " (" + note + ")";
        return new Setting<>(key, "integer", dflt, Integer.toString(dflt), Setting::parseInt,
                v -> v < min || v > max ? "must be " + range + suffix + ", got " + v : null, range + suffix,
                description, Scope.ALL);
    }

    /**
     * A whole-number setting that takes one of a few values.
     *
     * @param key the key
     * @param dflt the default
     * @param allowed the values allowed
     * @param description what it does
     * @return the setting
     */
    public static Setting<Integer> oneOf(String key, int dflt, List<Integer> allowed, String description) {
        String words = allowed.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(" or "));
        return new Setting<>(key, "integer", dflt, Integer.toString(dflt), Setting::parseInt,
                v -> allowed.contains(v) ? null : "must be " + words + ", got " + v, words, description, Scope.ALL);
    }

    /**
     * A duration setting that must not be negative (or, with {@code positive}, must be above zero).
     *
     * @param key the key
     * @param dflt the default; {@code null} when the default depends on the platform ({@code defaultText} says how)
     * @param defaultText how the default reads in the documentation
     * @param positive whether zero is refused too
     * @param description what it does
     * @return the setting
     */
    public static Setting<Duration> duration(String key, @Nullable Duration dflt, String defaultText, boolean positive,
            String description) {
        return new Setting<>(key, "duration", dflt, defaultText, Durations::parse,
                v -> v == null ? null : positive && (v.isZero() || v.isNegative()) ? "must be positive"
                        : v.isNegative() ? "must not be negative" : null,
                positive ? "a positive duration" : "a duration, 0 or more", description, Scope.ALL);
    }

    /**
     * A duration setting with its default written the usual way.
     *
     * @param key the key
     * @param dflt the default
     * @param positive whether zero is refused too
     * @param description what it does
     * @return the setting
     */
    public static Setting<Duration> duration(String key, Duration dflt, boolean positive, String description) {
        return duration(key, dflt, Durations.format(dflt), positive, description);
    }

    /**
     * A text setting; blank means unset.
     *
     * @param key the key
     * @param dflt the default, or {@code null} for none
     * @param allowed what is allowed, for the documentation
     * @param check returns a problem description, or {@code null} when the value is fine
     * @param description what it does
     * @return the setting
     */
    public static Setting<String> text(String key, @Nullable String dflt, String allowed,
            Function<String, @Nullable String> check,
            String description) {
        return new Setting<>(key, "string", dflt, dflt == null ? "" : dflt, String::trim, check, allowed,
                description, Scope.ALL);
    }

    /**
     * A text setting that an empty value switches off (an endpoint path, a header name): unset keeps the default,
     * set but empty gives {@code null}.
     *
     * @param key the key
     * @param dflt the default, or {@code null} for off
     * @param allowed what is allowed, for the documentation
     * @param check returns a problem description, or {@code null} when the value is fine
     * @param description what it does
     * @return the setting
     */
    public static Setting<String> optional(String key, @Nullable String dflt, String allowed,
            Function<String, @Nullable String> check,
            String description) {
        return new Setting<>(key, "string", dflt, dflt == null ? "" : dflt, String::trim,
                v -> v == null ? null : check.apply(v), allowed + "; empty: off", description, Scope.ALL, true);
    }

    /**
     * A comma-separated list of text.
     *
     * @param key the key
     * @param dflt the default
     * @param allowed what is allowed, for the documentation
     * @param check returns a problem description, or {@code null} when the value is fine
     * @param description what it does
     * @return the setting
     */
    public static Setting<List<String>> list(String key, List<String> dflt, String allowed,
            Function<List<String>, @Nullable String> check, String description) {
        return new Setting<>(key, "list", List.copyOf(dflt), String.join(",", dflt), Setting::parseList, check,
                allowed, description, Scope.ALL);
    }

    /**
     * A comma-separated list of histogram boundaries in seconds: positive, finite, strictly increasing.
     *
     * @param key the key
     * @param dflt the default
     * @param description what it does
     * @return the setting
     */
    public static Setting<List<Double>> buckets(String key, List<Double> dflt, String description) {
        return new Setting<>(key, "list of seconds", List.copyOf(dflt), Durations.formatNumbers(dflt),
                Setting::parseDoubles, Setting::checkBuckets, "positive, finite, strictly increasing seconds",
                description, Scope.ALL);
    }

    /**
     * Limits by name: {@code name=limit,name=limit} (in Spring Boot also the map form {@code key.name=limit}).
     *
     * @param key the key
     * @param min the smallest limit allowed
     * @param description what it does
     * @return the setting, empty by default
     */
    public static Setting<Map<String, Integer>> limits(String key, int min, String description) {
        return new Setting<>(key, "map", Map.of(), "", Setting::parseLimits, v -> {
            for (Map.Entry<String, Integer> e : v.entrySet()) {
                if (e.getValue() == null || e.getValue() < min) {
                    return "must give model '" + e.getKey() + "' a limit of at least " + min + ", got "
                            + e.getValue();
                }
            }
            return null;
        }, "model=limit pairs, each limit at least " + min, description, Scope.ALL);
    }

    /**
     * The same setting, read only by one integration.
     *
     * @param only the integration
     * @return a copy with that scope
     */
    public Setting<T> only(Scope only) {
        return new Setting<>(key, type, defaultValue, defaultText, parser, check, allowed, description, only,
                emptyMeansOff);
    }

    /**
     * @return the key, such as {@code llm.autoscale.admission.max-concurrency}
     */
    public String key() {
        return key;
    }

    /**
     * @return the environment variable the servlet module reads it from (Spring Boot's relaxed form), such as
     *     {@code LLM_AUTOSCALE_ADMISSION_MAX_CONCURRENCY}
     */
    public String environmentVariable() {
        return environmentVariable(key);
    }

    /**
     * The environment variable of a key: upper case, {@code .} and {@code -} become {@code _}.
     *
     * @param key a key
     * @return its environment variable name
     */
    public static String environmentVariable(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * @return the type, as the documentation names it ({@code boolean}, {@code integer}, {@code duration}, ...)
     */
    public String type() {
        return type;
    }

    /**
     * @return the default value; {@code null} for a setting without one (a text that is unset, a platform default)
     */
    public @Nullable T defaultValue() {
        return defaultValue;
    }

    /**
     * @return the default in its text form, as the documentation shows it (empty: none)
     */
    public String defaultText() {
        return defaultText;
    }

    /**
     * @return what values are allowed, in words
     */
    public String allowed() {
        return allowed;
    }

    /**
     * @return what the setting does
     */
    public String description() {
        return description;
    }

    /**
     * @return whether a value that is set but empty means off ({@code null}) rather than the default
     */
    public boolean emptyMeansOff() {
        return emptyMeansOff;
    }

    /**
     * @return which integrations read it
     */
    public Scope scope() {
        return scope;
    }

    /**
     * Parses a text value (not yet validated).
     *
     * @param text the text, not blank
     * @return the value
     * @throws IllegalArgumentException saying what was expected
     */
    public T parse(String text) {
        return parser.apply(text.trim());
    }

    /**
     * The one validation of this setting.
     *
     * @param value a value
     * @return what is wrong with it, starting with the key (such as
     *     {@code llm.autoscale.admission.queue-capacity must be at least 0, got -1}), or {@code null} when it is
     *     allowed
     */
    public @Nullable String problem(@Nullable T value) {
        if (value == null) {
            return null; // unset: a setting without a default (validated where it is required)
        }
        String p = check.apply(value);
        return p == null ? null : key + " " + p;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Setting<?> s && s.key.equals(key);
    }

    @Override
    public int hashCode() {
        return key.hashCode();
    }

    @Override
    public String toString() {
        return key;
    }

    private static Boolean parseBoolean(String v) {
        if (v.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (v.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        throw new IllegalArgumentException("expected true or false");
    }

    private static Integer parseInt(String v) {
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number");
        }
    }

    private static List<String> parseList(String v) {
        return java.util.Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static List<Double> parseDoubles(String v) {
        try {
            return parseList(v).stream().map(Double::valueOf).toList();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected comma-separated numbers of seconds, such as 0.1,0.5,1");
        }
    }

    private static Map<String, Integer> parseLimits(String v) {
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        for (String pair : parseList(v)) {
            int eq = pair.lastIndexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected model=limit pairs, such as llama-13b=4,llama-70b=2");
            }
            try {
                out.put(pair.substring(0, eq).trim(), Integer.valueOf(pair.substring(eq + 1).trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected model=limit pairs, such as llama-13b=4,llama-70b=2");
            }
        }
        return out;
    }

    private static @Nullable String checkBuckets(List<Double> seconds) {
        if (seconds.isEmpty()) {
            return "must list at least one bucket boundary, in seconds";
        }
        double previous = 0;
        for (Double s : seconds) {
            if (s == null || !(s > previous) || s.isInfinite()) {
                return "bucket boundaries must be positive, finite and strictly increasing (seconds), got " + seconds;
            }
            previous = s;
        }
        return null;
    }
}
