package dev.llmautoscale.simulator.promql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Evaluates a parsed PromQL expression at one instant over a {@link SeriesStore}, with Prometheus' semantics for what
 * it supports: the 5-minute lookback and staleness of instant selectors, left-open ranges, the extrapolation of
 * {@code rate}/{@code increase}/{@code delta} and counter resets, one-to-one vector matching on all labels but the
 * name (or {@code on}/{@code ignoring}), and the name dropped by functions and arithmetic.
 */
public final class Evaluator {

    /** The functions supported. */
    public static final Set<String> FUNCTIONS = Set.of("rate", "increase", "irate", "delta", "avg_over_time",
            "min_over_time", "max_over_time", "sum_over_time", "count_over_time", "last_over_time", "abs", "ceil",
            "floor", "round", "sqrt", "exp", "ln", "clamp_min", "clamp_max", "clamp", "scalar", "vector", "time",
            "absent");

    private final SeriesStore store;
    private final Map<String, Pattern> regexCache = new HashMap<>();

    /** @param store the samples */
    public Evaluator(SeriesStore store) {
        this.store = store;
    }

    /** One element of an instant vector. */
    public record Sample(SortedMap<String, String> labels, double value) {
    }

    /**
     * A result: a scalar or an instant vector.
     *
     * @param scalar the scalar value (NaN for a vector)
     * @param vector the vector, or null for a scalar
     */
    public record Value(double scalar, List<Sample> vector) {
        boolean isScalar() {
            return vector == null;
        }
    }

    /**
     * @param e the expression
     * @param t the evaluation time (seconds)
     * @return its value
     */
    public Value eval(Expr e, double t) {
        if (e instanceof Expr.NumberLiteral n) {
            return new Value(n.value(), null);
        }
        if (e instanceof Expr.Negate n) {
            return negate(eval(n.operand(), t));
        }
        if (e instanceof Expr.Selector s) {
            if (s.rangeSeconds() > 0) {
                throw new PromqlException("a range selector (" + describe(s)
                        + ") must be the argument of a function such as rate()");
            }
            return new Value(Double.NaN, instant(s, t));
        }
        if (e instanceof Expr.Call c) {
            return call(c, t);
        }
        if (e instanceof Expr.Aggregate a) {
            return aggregate(a, t);
        }
        return binary((Expr.Binary) e, t);
    }

    private static Value negate(Value v) {
        if (v.isScalar()) {
            return new Value(-v.scalar(), null);
        }
        List<Sample> out = new ArrayList<>(v.vector().size());
        for (Sample s : v.vector()) {
            out.add(new Sample(dropName(s.labels()), -s.value()));
        }
        return new Value(Double.NaN, out);
    }

    private List<Sample> instant(Expr.Selector s, double t) {
        List<Sample> out = new ArrayList<>();
        for (SeriesStore.Series series : candidates(s)) {
            if (!matches(series, s)) {
                continue;
            }
            int i = series.latestAtOrBefore(t);
            if (i < 0 || series.time(i) <= t - SeriesStore.LOOKBACK_SECONDS || series.staleAt() <= t) {
                continue;
            }
            out.add(new Sample(series.labels(), series.value(i)));
        }
        return out;
    }

    private Iterable<SeriesStore.Series> candidates(Expr.Selector s) {
        if (s.name() != null) {
            return store.named(s.name());
        }
        for (Expr.Matcher m : s.matchers()) {
            if (m.label().equals("__name__") && m.op().equals("=")) {
                return store.named(m.value());
            }
        }
        return store.all();
    }

    private boolean matches(SeriesStore.Series series, Expr.Selector s) {
        for (Expr.Matcher m : s.matchers()) {
            String v = series.labels().getOrDefault(m.label(), "");
            boolean ok = switch (m.op()) {
                case "=" -> v.equals(m.value());
                case "!=" -> !v.equals(m.value());
                case "=~" -> regex(m.value()).matcher(v).matches();
                default -> !regex(m.value()).matcher(v).matches();
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private Pattern regex(String r) {
        if (regexCache.size() > 256) {
            regexCache.clear(); // the adapter's pod=~"a|b|..." changes with every scale event
        }
        return regexCache.computeIfAbsent(r, x -> Pattern.compile(x));
    }

    private Value call(Expr.Call c, double t) {
        String f = c.name();
        switch (f) {
            case "time" -> {
                arity(c, 0);
                return new Value(t, null);
            }
            case "rate", "increase", "irate", "delta", "avg_over_time", "min_over_time", "max_over_time",
                 "sum_over_time", "count_over_time", "last_over_time" -> {
                arity(c, 1);
                if (!(c.args().get(0) instanceof Expr.Selector s) || s.rangeSeconds() <= 0) {
                    throw new PromqlException(f + "() needs a range selector such as metric[2m]");
                }
                return new Value(Double.NaN, rangeFunction(f, s, t));
            }
            case "scalar" -> {
                arity(c, 1);
                List<Sample> v = vector(c.args().get(0), t, f);
                return new Value(v.size() == 1 ? v.get(0).value() : Double.NaN, null);
            }
            case "vector" -> {
                arity(c, 1);
                Value v = eval(c.args().get(0), t);
                if (!v.isScalar()) {
                    throw new PromqlException("vector() takes a scalar");
                }
                return new Value(Double.NaN, List.of(new Sample(new TreeMap<>(), v.scalar())));
            }
            case "absent" -> {
                arity(c, 1);
                List<Sample> v = vector(c.args().get(0), t, f);
                return new Value(Double.NaN, v.isEmpty() ? List.of(new Sample(new TreeMap<>(), 1)) : List.of());
            }
            default -> {
                int want = switch (f) {
                    case "clamp_min", "clamp_max" -> 2;
                    case "clamp" -> 3;
                    default -> 1;
                };
                arity(c, want);
                List<Sample> v = vector(c.args().get(0), t, f);
                double a = want > 1 ? scalarArg(c.args().get(1), t, f) : 0;
                double b = want > 2 ? scalarArg(c.args().get(2), t, f) : 0;
                List<Sample> out = new ArrayList<>(v.size());
                for (Sample s : v) {
                    double x = s.value();
                    double y = switch (f) {
                        case "abs" -> Math.abs(x);
                        case "ceil" -> Math.ceil(x);
                        case "floor" -> Math.floor(x);
                        case "round" -> Math.floor(x + 0.5);
                        case "sqrt" -> Math.sqrt(x);
                        case "exp" -> Math.exp(x);
                        case "ln" -> Math.log(x);
                        case "clamp_min" -> Math.max(x, a);
                        case "clamp_max" -> Math.min(x, a);
                        default -> Math.max(a, Math.min(b, x));
                    };
                    out.add(new Sample(dropName(s.labels()), y));
                }
                return new Value(Double.NaN, out);
            }
        }
    }

    private double scalarArg(Expr e, double t, String f) {
        Value v = eval(e, t);
        if (!v.isScalar()) {
            throw new PromqlException(f + "(): expected a scalar argument");
        }
        return v.scalar();
    }

    private List<Sample> vector(Expr e, double t, String where) {
        Value v = eval(e, t);
        if (v.isScalar()) {
            throw new PromqlException(where + "(): expected an instant vector, got a scalar");
        }
        return v.vector();
    }

    private static void arity(Expr.Call c, int n) {
        if (c.args().size() != n) {
            throw new PromqlException(c.name() + "() takes " + n + " argument" + (n == 1 ? "" : "s") + ", got "
                    + c.args().size());
        }
    }

    private List<Sample> rangeFunction(String f, Expr.Selector s, double t) {
        List<Sample> out = new ArrayList<>();
        double from = t - s.rangeSeconds();
        for (SeriesStore.Series series : candidates(s)) {
            if (!matches(series, s)) {
                continue;
            }
            int last = series.latestAtOrBefore(t);
            int first = last;
            while (first - 1 >= 0 && series.time(first - 1) > from) {
                first--;
            }
            if (last < 0 || series.time(first) <= from) {
                continue;
            }
            int n = last - first + 1;
            double v;
            switch (f) {
                case "rate", "increase", "delta" -> {
                    if (n < 2) {
                        continue;
                    }
                    v = extrapolated(series, first, last, from, t, !f.equals("delta"), f.equals("rate"));
                }
                case "irate" -> {
                    if (n < 2) {
                        continue;
                    }
                    double a = series.value(last - 1);
                    double b = series.value(last);
                    double d = b < a ? b : b - a;
                    v = d / (series.time(last) - series.time(last - 1));
                }
                default -> {
                    double sum = 0;
                    double min = Double.POSITIVE_INFINITY;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int i = first; i <= last; i++) {
                        double x = series.value(i);
                        sum += x;
                        min = Math.min(min, x);
                        max = Math.max(max, x);
                    }
                    v = switch (f) {
                        case "avg_over_time" -> sum / n;
                        case "min_over_time" -> min;
                        case "max_over_time" -> max;
                        case "sum_over_time" -> sum;
                        case "count_over_time" -> n;
                        default -> series.value(last);
                    };
                }
            }
            out.add(new Sample(dropName(series.labels()), v));
        }
        return out;
    }

    /** Prometheus' extrapolatedRate (promql/functions.go). */
    private static double extrapolated(SeriesStore.Series s, int first, int last, double rangeStart,
                                       double rangeEnd, boolean counter, boolean perSecond) {
        double result = s.value(last) - s.value(first);
        if (counter) {
            for (int i = first + 1; i <= last; i++) {
                if (s.value(i) < s.value(i - 1)) {
                    result += s.value(i - 1);
                }
            }
        }
        double firstT = s.time(first);
        double lastT = s.time(last);
        double durationToStart = firstT - rangeStart;
        double durationToEnd = rangeEnd - lastT;
        double sampled = lastT - firstT;
        double avgBetween = sampled / (last - first);
        if (counter && result > 0 && s.value(first) >= 0) {
            double durationToZero = sampled * (s.value(first) / result);
            if (durationToZero < durationToStart) {
                durationToStart = durationToZero;
            }
        }
        double threshold = avgBetween * 1.1;
        double extrapolateTo = sampled;
        extrapolateTo += durationToStart < threshold ? durationToStart : avgBetween / 2;
        extrapolateTo += durationToEnd < threshold ? durationToEnd : avgBetween / 2;
        result = result * (extrapolateTo / sampled);
        if (perSecond) {
            result /= rangeEnd - rangeStart;
        }
        return result;
    }

    private Value aggregate(Expr.Aggregate a, double t) {
        List<Sample> in = vector(a.operand(), t, a.op());
        Map<SortedMap<String, String>, double[]> groups = new LinkedHashMap<>();
        for (Sample s : in) {
            TreeMap<String, String> key = new TreeMap<>();
            if (a.by()) {
                for (String l : a.labels()) {
                    String v = s.labels().get(l);
                    if (v != null) {
                        key.put(l, v);
                    }
                }
            } else {
                key.putAll(s.labels());
                key.remove("__name__");
                for (String l : a.labels()) {
                    key.remove(l);
                }
            }
            double[] acc = groups.computeIfAbsent(key, k -> new double[] {0, 0, Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY});
            acc[0] += s.value();
            acc[1]++;
            acc[2] = Math.min(acc[2], s.value());
            acc[3] = Math.max(acc[3], s.value());
        }
        List<Sample> out = new ArrayList<>(groups.size());
        for (Map.Entry<SortedMap<String, String>, double[]> g : groups.entrySet()) {
            double[] acc = g.getValue();
            double v = switch (a.op()) {
                case "sum" -> acc[0];
                case "avg" -> acc[0] / acc[1];
                case "min" -> acc[2];
                case "max" -> acc[3];
                default -> acc[1];
            };
            out.add(new Sample(g.getKey(), v));
        }
        return new Value(Double.NaN, out);
    }

    private Value binary(Expr.Binary b, double t) {
        Value l = eval(b.lhs(), t);
        Value r = eval(b.rhs(), t);
        boolean comparison = b.op().length() == 2 && !b.op().equals("^") || b.op().equals(">") || b.op().equals("<");
        if (l.isScalar() && r.isScalar()) {
            if (comparison && !b.returnBool()) {
                throw new PromqlException("a comparison between two scalars needs 'bool'");
            }
            return new Value(apply(b.op(), l.scalar(), r.scalar(), comparison), null);
        }
        if (l.isScalar() || r.isScalar()) {
            List<Sample> v = l.isScalar() ? r.vector() : l.vector();
            double k = l.isScalar() ? l.scalar() : r.scalar();
            List<Sample> out = new ArrayList<>(v.size());
            for (Sample s : v) {
                double x = l.isScalar() ? apply(b.op(), k, s.value(), comparison)
                        : apply(b.op(), s.value(), k, comparison);
                if (comparison && !b.returnBool()) {
                    if (x == 1) {
                        out.add(s);
                    }
                } else {
                    out.add(new Sample(dropName(s.labels()), x));
                }
            }
            return new Value(Double.NaN, out);
        }
        Map<SortedMap<String, String>, Sample> right = new HashMap<>();
        for (Sample s : r.vector()) {
            if (right.put(signature(s.labels(), b), s) != null) {
                throw new PromqlException("many-to-many matching: the right side of '" + b.op()
                        + "' has several series with labels " + signature(s.labels(), b)
                        + " (use on(...)/ignoring(...) or aggregate first)");
            }
        }
        List<Sample> out = new ArrayList<>();
        Set<SortedMap<String, String>> seen = new java.util.HashSet<>();
        for (Sample s : l.vector()) {
            SortedMap<String, String> sig = signature(s.labels(), b);
            Sample o = right.get(sig);
            if (o == null) {
                continue;
            }
            if (!seen.add(sig)) {
                throw new PromqlException("many-to-one matching: the left side of '" + b.op()
                        + "' has several series with labels " + sig + " (group_left is not supported)");
            }
            double x = apply(b.op(), s.value(), o.value(), comparison);
            if (comparison && !b.returnBool()) {
                if (x == 1) {
                    out.add(s);
                }
            } else {
                SortedMap<String, String> labels = b.on() != null ? sig : dropName(s.labels());
                out.add(new Sample(labels, x));
            }
        }
        return new Value(Double.NaN, out);
    }

    private static SortedMap<String, String> signature(SortedMap<String, String> labels, Expr.Binary b) {
        TreeMap<String, String> sig = new TreeMap<>();
        if (b.on() != null) {
            for (String l : b.on()) {
                String v = labels.get(l);
                if (v != null) {
                    sig.put(l, v);
                }
            }
            return sig;
        }
        sig.putAll(labels);
        sig.remove("__name__");
        if (b.ignoring() != null) {
            for (String l : b.ignoring()) {
                sig.remove(l);
            }
        }
        return sig;
    }

    private static double apply(String op, double a, double b, boolean comparison) {
        if (comparison) {
            boolean r = switch (op) {
                case "==" -> a == b;
                case "!=" -> a != b;
                case ">" -> a > b;
                case "<" -> a < b;
                case ">=" -> a >= b;
                default -> a <= b;
            };
            return r ? 1 : 0;
        }
        return switch (op) {
            case "+" -> a + b;
            case "-" -> a - b;
            case "*" -> a * b;
            case "/" -> a / b;
            case "%" -> a % b;
            default -> Math.pow(a, b);
        };
    }

    private static SortedMap<String, String> dropName(SortedMap<String, String> labels) {
        if (!labels.containsKey("__name__")) {
            return labels;
        }
        TreeMap<String, String> m = new TreeMap<>(labels);
        m.remove("__name__");
        return m;
    }

    private static String describe(Expr.Selector s) {
        return (s.name() == null ? "" : s.name()) + "[" + s.rangeSeconds() + "s]";
    }

    /**
     * The longest range any selector of an expression reads, for the store's retention.
     *
     * @param e an expression
     * @return seconds (0 when none)
     */
    public static double longestRange(Expr e) {
        if (e instanceof Expr.Selector s) {
            return s.rangeSeconds();
        }
        if (e instanceof Expr.Call c) {
            return c.args().stream().mapToDouble(Evaluator::longestRange).max().orElse(0);
        }
        if (e instanceof Expr.Aggregate a) {
            return longestRange(a.operand());
        }
        if (e instanceof Expr.Binary b) {
            return Math.max(longestRange(b.lhs()), longestRange(b.rhs()));
        }
        if (e instanceof Expr.Negate n) {
            return longestRange(n.operand());
        }
        return 0;
    }
}
