package dev.llmautoscale.simulator.promql;

import java.util.List;

/** A parsed PromQL expression (the subset {@link PromqlParser} documents). */
public sealed interface Expr {

    /**
     * A number literal.
     *
     * @param value the number
     */
    record NumberLiteral(double value) implements Expr {
    }

    /**
     * A label matcher.
     *
     * @param label the label name
     * @param op    =, !=, =~ or !~
     * @param value the value or regular expression (fully anchored, as in Prometheus)
     */
    record Matcher(String label, String op, String value) {
    }

    /**
     * {@code name{matchers}} or {@code name{matchers}[range]}.
     *
     * @param name         the metric name (may be null when only matchers are given)
     * @param matchers     the label matchers
     * @param rangeSeconds the range of a range selector, or 0 for an instant selector
     */
    record Selector(String name, List<Matcher> matchers, double rangeSeconds) implements Expr {
    }

    /**
     * A function call.
     *
     * @param name the function
     * @param args its arguments
     */
    record Call(String name, List<Expr> args) implements Expr {
    }

    /**
     * sum/avg/min/max/count with by/without.
     *
     * @param op      the aggregation
     * @param by      true for {@code by}, false for {@code without}
     * @param labels  the grouping labels (empty with by: one group)
     * @param operand what is aggregated
     */
    record Aggregate(String op, boolean by, List<String> labels, Expr operand) implements Expr {
    }

    /**
     * An arithmetic or comparison operation.
     *
     * @param op         + - * / % ^ == != &gt; &lt; &gt;= &lt;=
     * @param returnBool {@code bool} modifier of a comparison
     * @param on         {@code on(...)} labels, or null
     * @param ignoring   {@code ignoring(...)} labels, or null
     * @param lhs        left operand
     * @param rhs        right operand
     */
    record Binary(String op, boolean returnBool, List<String> on, List<String> ignoring, Expr lhs, Expr rhs)
            implements Expr {
    }

    /**
     * Unary minus.
     *
     * @param operand the operand
     */
    record Negate(Expr operand) implements Expr {
    }
}
