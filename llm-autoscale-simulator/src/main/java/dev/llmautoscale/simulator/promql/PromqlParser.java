package dev.llmautoscale.simulator.promql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Parses the PromQL the simulator evaluates: vector selectors with {@code = != =~ !~} matchers, range selectors,
 * the functions in {@link Evaluator#FUNCTIONS}, {@code sum avg min max count} with {@code by}/{@code without}
 * (before or after the operand), {@code + - * / % ^}, comparisons (with {@code bool}), {@code on}/{@code ignoring}
 * one-to-one matching, number literals and parentheses. Anything else ({@code offset}, {@code @}, subqueries,
 * {@code and}/{@code or}/{@code unless}, {@code group_left}, other aggregations) is refused with a message that names
 * it and its position.
 */
public final class PromqlParser {

    private static final Set<String> AGGREGATIONS = Set.of("sum", "avg", "min", "max", "count");
    private static final Set<String> UNSUPPORTED_AGG = Set.of("topk", "bottomk", "quantile", "stddev", "stdvar",
            "count_values", "group", "limitk", "limit_ratio");

    private final String src;
    private int pos;

    private PromqlParser(String src) {
        this.src = src;
    }

    /**
     * @param query a PromQL expression
     * @return its syntax tree
     * @throws PromqlException when it is malformed or uses what the simulator does not support
     */
    public static Expr parse(String query) {
        PromqlParser p = new PromqlParser(query);
        Expr e = p.expr(0);
        p.ws();
        if (p.pos < p.src.length()) {
            throw p.error("unexpected '" + p.src.substring(p.pos, Math.min(p.src.length(), p.pos + 12)) + "'");
        }
        return e;
    }

    private static int precedence(String op) {
        return switch (op) {
            case "==", "!=", ">", "<", ">=", "<=" -> 1;
            case "+", "-" -> 2;
            case "*", "/", "%" -> 3;
            case "^" -> 4;
            default -> -1;
        };
    }

    private Expr expr(int minPrec) {
        Expr lhs = unary();
        while (true) {
            ws();
            int save = pos;
            String word = peekWord();
            if (word.equals("and") || word.equals("or") || word.equals("unless")) {
                throw error("the set operator '" + word + "' is not supported by the simulator");
            }
            String op = operator();
            if (op == null) {
                return lhs;
            }
            int prec = precedence(op);
            if (prec < minPrec) {
                pos = save;
                return lhs;
            }
            boolean bool = false;
            List<String> on = null;
            List<String> ignoring = null;
            ws();
            if (peekWord().equals("bool")) {
                if (prec != 1) {
                    throw error("bool is only allowed after a comparison");
                }
                pos += 4;
                bool = true;
                ws();
            }
            String w = peekWord();
            if (w.equals("on") || w.equals("ignoring")) {
                pos += w.length();
                List<String> labels = labelList();
                if (w.equals("on")) {
                    on = labels;
                } else {
                    ignoring = labels;
                }
                ws();
                String g = peekWord();
                if (g.equals("group_left") || g.equals("group_right")) {
                    throw error(g + " (many-to-one matching) is not supported by the simulator");
                }
            }
            Expr rhs = expr(op.equals("^") ? prec : prec + 1);
            lhs = new Expr.Binary(op, bool, on, ignoring, lhs, rhs);
        }
    }

    private String operator() {
        if (pos >= src.length()) {
            return null;
        }
        for (String op : new String[] {"==", "!=", ">=", "<=", "+", "-", "*", "/", "%", "^", ">", "<"}) {
            if (src.startsWith(op, pos)) {
                if (op.equals("!=") || op.equals("==") || op.length() == 2) {
                    pos += 2;
                    return op;
                }
                pos += 1;
                return op;
            }
        }
        return null;
    }

    private Expr unary() {
        ws();
        if (peek() == '-') {
            pos++;
            return new Expr.Negate(unary());
        }
        if (peek() == '+') {
            pos++;
            return unary();
        }
        return postfix(primary());
    }

    private Expr postfix(Expr e) {
        ws();
        if (peek() == '[') {
            if (!(e instanceof Expr.Selector s) || s.rangeSeconds() > 0) {
                throw error("a range [..] applies to a vector selector only (subqueries are not supported)");
            }
            pos++;
            ws();
            int start = pos;
            while (pos < src.length() && src.charAt(pos) != ']') {
                if (src.charAt(pos) == ':') {
                    throw error("subqueries are not supported by the simulator");
                }
                pos++;
            }
            if (pos >= src.length()) {
                throw error("missing ']'");
            }
            double range = duration(src.substring(start, pos).strip());
            pos++;
            e = new Expr.Selector(s.name(), s.matchers(), range);
        }
        ws();
        String w = peekWord();
        if (w.equals("offset") || peek() == '@') {
            throw error("'" + (w.equals("offset") ? "offset" : "@") + "' modifiers are not supported by the simulator");
        }
        return e;
    }

    private Expr primary() {
        ws();
        char c = peek();
        if (c == '(') {
            pos++;
            Expr e = expr(0);
            expect(')');
            return e;
        }
        if (Character.isDigit(c) || c == '.') {
            return new Expr.NumberLiteral(number());
        }
        if (c == '{') {
            return new Expr.Selector(null, matchers(), 0);
        }
        if (Character.isLetter(c) || c == '_' || c == ':') {
            int start = pos;
            String id = identifier();
            String lower = id.toLowerCase(Locale.ROOT);
            if (lower.equals("inf") || lower.equals("nan")) {
                return new Expr.NumberLiteral(lower.equals("inf") ? Double.POSITIVE_INFINITY : Double.NaN);
            }
            if (UNSUPPORTED_AGG.contains(id)) {
                pos = start;
                throw error("the aggregation '" + id + "' is not supported by the simulator; supported: "
                        + String.join(", ", AGGREGATIONS));
            }
            if (AGGREGATIONS.contains(id)) {
                return aggregation(id);
            }
            ws();
            if (peek() == '(') {
                if (!Evaluator.FUNCTIONS.contains(id)) {
                    pos = start;
                    throw error("the function '" + id + "' is not supported by the simulator; supported: "
                            + String.join(", ", Evaluator.FUNCTIONS.stream().sorted().toList()));
                }
                pos++;
                List<Expr> args = new ArrayList<>();
                ws();
                if (peek() != ')') {
                    args.add(expr(0));
                    ws();
                    while (peek() == ',') {
                        pos++;
                        args.add(expr(0));
                        ws();
                    }
                }
                expect(')');
                return new Expr.Call(id, args);
            }
            List<Expr.Matcher> m = peek() == '{' ? matchers() : List.of();
            return new Expr.Selector(id, m, 0);
        }
        throw error(pos >= src.length() ? "unexpected end of the query" : "unexpected '" + c + "'");
    }

    private Expr aggregation(String op) {
        ws();
        Boolean by = null;
        List<String> labels = List.of();
        String w = peekWord();
        if (w.equals("by") || w.equals("without")) {
            pos += w.length();
            by = w.equals("by");
            labels = labelList();
            ws();
        }
        expect('(');
        Expr operand = expr(0);
        ws();
        if (peek() == ',') {
            throw error(op + " takes one argument");
        }
        expect(')');
        ws();
        w = peekWord();
        if (by == null && (w.equals("by") || w.equals("without"))) {
            pos += w.length();
            by = w.equals("by");
            labels = labelList();
        }
        return new Expr.Aggregate(op, by == null || by, labels, operand);
    }

    private List<String> labelList() {
        ws();
        expect('(');
        List<String> out = new ArrayList<>();
        ws();
        while (peek() != ')') {
            out.add(identifier());
            ws();
            if (peek() == ',') {
                pos++;
                ws();
            } else if (peek() != ')') {
                throw error("expected ',' or ')' in a label list");
            }
        }
        pos++;
        return out;
    }

    private List<Expr.Matcher> matchers() {
        expect('{');
        List<Expr.Matcher> out = new ArrayList<>();
        ws();
        while (peek() != '}') {
            String label = identifier();
            ws();
            String op;
            if (src.startsWith("=~", pos) || src.startsWith("!~", pos) || src.startsWith("!=", pos)) {
                op = src.substring(pos, pos + 2);
                pos += 2;
            } else if (peek() == '=') {
                op = "=";
                pos++;
            } else {
                throw error("expected =, !=, =~ or !~ after label '" + label + "'");
            }
            ws();
            out.add(new Expr.Matcher(label, op, string()));
            ws();
            if (peek() == ',') {
                pos++;
                ws();
            } else if (peek() != '}') {
                throw error("expected ',' or '}' in the label matchers");
            }
        }
        pos++;
        return out;
    }

    private String string() {
        char q = peek();
        if (q != '"' && q != '\'' && q != '`') {
            throw error("expected a quoted string");
        }
        pos++;
        StringBuilder b = new StringBuilder();
        while (pos < src.length() && src.charAt(pos) != q) {
            char c = src.charAt(pos++);
            if (c == '\\' && q != '`' && pos < src.length()) {
                char n = src.charAt(pos++);
                b.append(switch (n) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> n;
                });
            } else {
                b.append(c);
            }
        }
        if (pos >= src.length()) {
            throw error("unterminated string");
        }
        pos++;
        return b.toString();
    }

    private double number() {
        int start = pos;
        while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '.'
                || ((src.charAt(pos) == '+' || src.charAt(pos) == '-')
                && (src.charAt(pos - 1) == 'e' || src.charAt(pos - 1) == 'E')))) {
            pos++;
        }
        String t = src.substring(start, pos);
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            pos = start;
            throw error("'" + t + "' is not a number");
        }
    }

    /**
     * @param text a PromQL duration such as 30s, 2m, 1h30m, 500ms
     * @return seconds
     */
    static double duration(String text) {
        if (text.isEmpty()) {
            throw new PromqlException("empty range duration");
        }
        double total = 0;
        int i = 0;
        while (i < text.length()) {
            int start = i;
            while (i < text.length() && Character.isDigit(text.charAt(i))) {
                i++;
            }
            if (start == i) {
                throw new PromqlException("'" + text + "' is not a duration such as 30s, 2m, 1h");
            }
            long n = Long.parseLong(text.substring(start, i));
            String unit;
            if (text.startsWith("ms", i)) {
                unit = "ms";
            } else if (i < text.length()) {
                unit = String.valueOf(text.charAt(i));
            } else {
                throw new PromqlException("'" + text + "' has no unit; allowed units: ms, s, m, h, d, w, y");
            }
            i += unit.length();
            total += n * switch (unit) {
                case "ms" -> 0.001;
                case "s" -> 1;
                case "m" -> 60;
                case "h" -> 3600;
                case "d" -> 86_400;
                case "w" -> 604_800;
                case "y" -> 31_536_000;
                default -> throw new PromqlException("'" + text + "': unknown unit '" + unit
                        + "'; allowed units: ms, s, m, h, d, w, y");
            };
        }
        if (!(total > 0)) {
            throw new PromqlException("the range '" + text + "' must be positive");
        }
        return total;
    }

    private String identifier() {
        int start = pos;
        while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_'
                || src.charAt(pos) == ':')) {
            pos++;
        }
        if (start == pos) {
            throw error("expected a name");
        }
        return src.substring(start, pos);
    }

    private String peekWord() {
        int p = pos;
        while (p < src.length() && (Character.isLetterOrDigit(src.charAt(p)) || src.charAt(p) == '_')) {
            p++;
        }
        return src.substring(pos, p);
    }

    private void expect(char c) {
        ws();
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private char peek() {
        return pos < src.length() ? src.charAt(pos) : '\0';
    }

    private void ws() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '#') {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else {
                return;
            }
        }
    }

    private PromqlException error(String what) {
        return new PromqlException(what + " at position " + (pos + 1) + " of '" + src.strip().replace('\n', ' ')
                + "'");
    }
}
