package dev.llmautoscale.settings;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Duration text as Spring Boot reads it ({@code DurationStyle}): {@code 250ms}, {@code 30s}, {@code 2m}, {@code 1h},
 * {@code 1d}, {@code 10us}, {@code 5ns}, or ISO-8601 ({@code PT30S}); a bare number is seconds (the starter binds
 * every llm-autoscale duration with {@code @DurationUnit(SECONDS)}, so both read {@code 30} the same way).
 */
public final class Durations {

    private static final Pattern SIMPLE = Pattern.compile("^([+-]?\\d+)([a-zA-Z]{0,2})$");

    private Durations() {
    }

    /**
     * @param text the text
     * @return the duration
     * @throws IllegalArgumentException when it is none of the forms above
     */
    public static Duration parse(String text) {
        String t = text.trim();
        try {
            if (t.matches("^[+-]?[pP].*$")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            Matcher m = SIMPLE.matcher(t);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                switch (m.group(2).toLowerCase(Locale.ROOT)) {
                    case "ns": return Duration.ofNanos(n);
                    case "us": return Duration.ofNanos(Math.multiplyExact(n, 1000L));
                    case "ms": return Duration.ofMillis(n);
                    case "", "s": return Duration.ofSeconds(n);
                    case "m": return Duration.ofMinutes(n);
                    case "h": return Duration.ofHours(n);
                    case "d": return Duration.ofDays(n);
                    default: break;
                }
            }
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("expected a duration such as 500ms, 30s, 2m, 1h or PT30S");
    }

    /**
     * A short text {@link #parse} reads back as the same duration: {@code 30s}, {@code 60s}, {@code 10m},
     * {@code 250ms}.
     *
     * @param d a duration
     * @return its text
     */
    public static String format(Duration d) {
        if (d == null) {
            return "";
        }
        long ms = d.toMillis();
        if (!Duration.ofMillis(ms).equals(d)) {
            return d.toString();
        }
        if (ms != 0 && ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms > 120_000 && ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    static String formatNumbers(List<Double> values) {
        return values.stream().map(Durations::number).collect(Collectors.joining(","));
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
