package dev.llmautoscale.simulator.config;

import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A random duration or count: {@code fixed}, {@code uniform}, {@code normal} (truncated at {@code min}),
 * {@code lognormal} or {@code exponential}. In YAML a bare number is {@code fixed}; otherwise a mapping with
 * {@code distribution} and its parameters.
 *
 * @param kind   fixed, uniform, normal, lognormal or exponential
 * @param a      fixed: value; uniform: min; normal: mean; lognormal: median; exponential: mean
 * @param b      uniform: max; normal: stddev; lognormal: sigma; otherwise 0
 * @param min    the smallest value ever returned
 * @param max    the largest value ever returned
 */
public record Distribution(String kind, double a, double b, double min, double max) {

    private static final Set<String> FIELDS = Set.of("distribution", "value", "min", "max", "mean", "stddev",
            "median", "sigma");

    /**
     * @param v a constant
     * @return the fixed distribution
     */
    public static Distribution fixed(double v) {
        return new Distribution("fixed", v, 0, v, v);
    }

    /**
     * @param lo lower bound
     * @param hi upper bound
     * @return the uniform distribution
     */
    public static Distribution uniform(double lo, double hi) {
        return new Distribution("uniform", lo, hi, lo, hi);
    }

    /**
     * Draws one value.
     *
     * @param rnd the random source
     * @return a value within [min, max]
     */
    public double sample(SplittableRandom rnd) {
        double v = switch (kind) {
            case "fixed" -> a;
            case "uniform" -> a + (b - a) * rnd.nextDouble();
            case "normal" -> a + b * gaussian(rnd);
            case "lognormal" -> a * Math.exp(b * gaussian(rnd));
            case "exponential" -> -a * Math.log(1 - rnd.nextDouble());
            default -> throw new IllegalStateException(kind);
        };
        return Math.max(min, Math.min(max, v));
    }

    /** @return the expected value, ignoring truncation */
    public double mean() {
        return switch (kind) {
            case "uniform" -> (a + b) / 2;
            case "lognormal" -> a * Math.exp(b * b / 2);
            default -> a;
        };
    }

    private static double gaussian(SplittableRandom rnd) {
        // Box-Muller; one value per call keeps the stream simple and reproducible.
        double u1 = 1 - rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /**
     * Reads a distribution.
     *
     * @param n      the node (a number, or a mapping with {@code distribution})
     * @param def    the default when absent
     * @param lowest the smallest value allowed for any parameter and result
     * @param highest the largest value allowed
     * @return the distribution
     */
    public static Distribution parse(ConfigNode n, Distribution def, double lowest, double highest) {
        if (n.isAbsent()) {
            return def;
        }
        if (n.raw().isValueNode()) {
            return fixed(n.asNumber(lowest, highest));
        }
        n.requireKnown(FIELDS);
        String kind = n.string("distribution", null, "fixed", "uniform", "normal", "lognormal", "exponential");
        if (kind == null) {
            throw n.get("distribution").fail("missing; allowed values: fixed, uniform, normal, lognormal, exponential");
        }
        double lo = n.number("min", lowest, lowest, highest);
        double hi = n.number("max", highest, lowest, highest);
        switch (kind) {
            case "fixed" -> {
                double v = required(n, "value", lowest, highest);
                return new Distribution(kind, v, 0, v, v);
            }
            case "uniform" -> {
                double a = required(n, "min", lowest, highest);
                double b = required(n, "max", lowest, highest);
                if (b < a) {
                    throw n.get("max").fail("must be >= min (" + ConfigNode.fmt(a) + ")");
                }
                return new Distribution(kind, a, b, a, b);
            }
            case "normal" -> {
                return new Distribution(kind, required(n, "mean", lowest, highest),
                        required(n, "stddev", 0, highest), lo, hi);
            }
            case "lognormal" -> {
                return new Distribution(kind, required(n, "median", Math.max(lowest, Double.MIN_VALUE), highest),
                        required(n, "sigma", 0, 10), lo, hi);
            }
            default -> {
                return new Distribution(kind, required(n, "mean", lowest, highest), 0, lo, hi);
            }
        }
    }

    private static double required(ConfigNode n, String field, double lo, double hi) {
        if (!n.has(field)) {
            throw n.get(field).fail("missing; the " + n.string("distribution", "", new String[0])
                    + " distribution needs it (a number between " + ConfigNode.fmt(lo) + " and "
                    + ConfigNode.fmt(hi) + ")");
        }
        return n.number(field, 0, lo, hi);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case "fixed" -> ConfigNode.fmt(a);
            case "uniform" -> String.format(Locale.ROOT, "uniform(%s, %s)", ConfigNode.fmt(a), ConfigNode.fmt(b));
            case "normal" -> String.format(Locale.ROOT, "normal(mean %s, sd %s)", ConfigNode.fmt(a),
                    ConfigNode.fmt(b));
            case "lognormal" -> String.format(Locale.ROOT, "lognormal(median %s, sigma %s)", ConfigNode.fmt(a),
                    ConfigNode.fmt(b));
            default -> String.format(Locale.ROOT, "exponential(mean %s)", ConfigNode.fmt(a));
        };
    }
}
