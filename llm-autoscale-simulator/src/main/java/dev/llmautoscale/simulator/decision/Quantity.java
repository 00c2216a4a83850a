package dev.llmautoscale.simulator.decision;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes quantities ({@code resource.Quantity}) as the HPA controller reads them: parsed from their string form
 * ({@code "10"}, {@code "500m"}, {@code "2Ki"}, {@code "1e3"}, {@code "1.5G"}) and turned into integer milli-units
 * the way {@code Quantity.MilliValue()} does, rounding up in exact decimal arithmetic.
 */
public final class Quantity {

    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    /**
     * The grammar of {@code k8s.io/apimachinery/pkg/api/resource} ({@code <signedNumber><suffix>}): an optional sign,
     * digits with an optional fraction (or a fraction alone), then a binary-SI suffix, a decimal-SI suffix or a
     * decimal exponent.
     */
    private static final Pattern FORMAT =
            Pattern.compile("([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?");

    /** What the error messages say is allowed. */
    public static final String ALLOWED = "a Kubernetes quantity: a number with an optional suffix"
            + " (n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei, or an exponent e<N>), for example \"10\", \"500m\", \"2Ki\", \"1e3\"";

    private Quantity() {
    }

    /**
     * Parses a quantity string.
     *
     * @param text the quantity as written
     * @return its exact decimal value in base units
     * @throws IllegalArgumentException when it is not a valid quantity (the message says what is allowed)
     */
    public static BigDecimal parse(String text) {
        Matcher m = FORMAT.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not " + ALLOWED);
        }
        BigDecimal number = new BigDecimal(m.group(1).endsWith(".") ? m.group(1) + "0" : m.group(1));
        String suffix = m.group(2);
        if (suffix == null) {
            return number;
        }
        return switch (suffix) {
            case "Ki" -> number.multiply(BigDecimal.valueOf(1L << 10));
            case "Mi" -> number.multiply(BigDecimal.valueOf(1L << 20));
            case "Gi" -> number.multiply(BigDecimal.valueOf(1L << 30));
            case "Ti" -> number.multiply(BigDecimal.valueOf(1L << 40));
            case "Pi" -> number.multiply(BigDecimal.valueOf(1L << 50));
            case "Ei" -> number.multiply(BigDecimal.valueOf(1L << 60));
            case "n" -> number.scaleByPowerOfTen(-9);
            case "u" -> number.scaleByPowerOfTen(-6);
            case "m" -> number.scaleByPowerOfTen(-3);
            case "k" -> number.scaleByPowerOfTen(3);
            case "M" -> number.scaleByPowerOfTen(6);
            case "G" -> number.scaleByPowerOfTen(9);
            case "T" -> number.scaleByPowerOfTen(12);
            case "P" -> number.scaleByPowerOfTen(15);
            case "E" -> number.scaleByPowerOfTen(18);
            default -> number.scaleByPowerOfTen(exponent(text, suffix.substring(1)));
        };
    }

    private static int exponent(String text, String digits) {
        try {
            int e = Integer.parseInt(digits);
            if (Math.abs(e) > 1000) {
                throw new NumberFormatException();
            }
            return e;
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("\"" + text + "\" has an exponent out of range; " + ALLOWED, ex);
        }
    }

    /**
     * Parses a quantity string into milli-units ({@code ParseQuantity(s).MilliValue()}).
     *
     * @param text the quantity as written
     * @return {@code ceil(value × 1000)}
     * @throws IllegalArgumentException when it is not a valid quantity or does not fit in 64 bits
     */
    public static long parseMilli(String text) {
        return milli(parse(text));
    }

    /**
     * Milli-units of an exact decimal value, rounded up ({@code Quantity.MilliValue()}).
     *
     * @param value the value in base units
     * @return {@code ceil(value × 1000)}
     * @throws IllegalArgumentException when the result does not fit in 64 bits
     */
    public static long milli(BigDecimal value) {
        try {
            return value.multiply(THOUSAND).setScale(0, RoundingMode.CEILING).longValueExact();
        } catch (ArithmeticException ex) {
            throw new IllegalArgumentException(value.toPlainString() + " is out of range", ex);
        }
    }

    /**
     * Milli-units of a double, read as its shortest decimal representation ({@link Double#toString}) and rounded
     * up exactly: {@code 0.29} gives 290, where {@code Math.ceil(0.29 * 1000)} would give 291.
     *
     * @param value the value in base units; finite
     * @return {@code ceil(value × 1000)}
     * @throws IllegalArgumentException for NaN, infinities and values that do not fit in 64 bits
     */
    public static long milli(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(value + " is not a finite number");
        }
        return milli(BigDecimal.valueOf(value));
    }

    /**
     * KEDA's {@code quantityFromFloat64}: {@code fmt.Sprintf("%.3f", v)} parsed back, so the value is rounded to the
     * nearest milli (ties to even on the exact binary value); NaN, infinities and negative values become 0.
     *
     * @param value what a scaler returned
     * @return the value in milli-units as KEDA serves it to the HPA
     */
    public static long kedaMilli(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value) || value < 0) {
            return 0;
        }
        return new BigDecimal(value).setScale(3, RoundingMode.HALF_EVEN).movePointRight(3).longValueExact();
    }
}
