package dev.llmautoscale.examples.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The label matchers of the selectors in a PromQL expression: {@code metric{label op "value"}}. */
public final class Selectors {

    /**
     * One matcher.
     *
     * @param metric the metric name
     * @param label the label name
     * @param op {@code =}, {@code !=}, {@code =~} or {@code !~}
     * @param value the literal or regex
     */
    public record Matcher(String metric, String label, String op, String value) {
    }

    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");

    private Selectors() {
    }

    /**
     * @param expr a PromQL expression
     * @return its matchers
     */
    public static List<Matcher> matchers(String expr) {
        List<Matcher> out = new ArrayList<>();
        java.util.regex.Matcher s = SELECTOR.matcher(expr);
        while (s.find()) {
            java.util.regex.Matcher m = MATCHER.matcher(s.group(2));
            while (m.find()) {
                out.add(new Matcher(s.group(1), m.group(1), m.group(2), m.group(3)));
            }
        }
        return out;
    }

    /**
     * Whether a scrape has a series of {@code metric} (or of its {@code _bucket}/{@code _count}/{@code _sum}) with
     * the label set to the value.
     *
     * @param scrape the scrape
     * @param metric a sample name
     * @param label a label name
     * @param value a value, or {@code null} for any
     * @return whether it is there
     */
    public static boolean present(String scrape, String metric, String label, String value) {
        for (String line : scrape.split("\n")) {
            if (!line.startsWith(metric + "{")) {
                continue;
            }
            String labels = line.substring(metric.length() + 1, line.indexOf('}'));
            java.util.regex.Matcher m = MATCHER.matcher(labels);
            while (m.find()) {
                if (m.group(1).equals(label) && (value == null || m.group(3).equals(value))) {
                    return true;
                }
            }
        }
        return false;
    }
}
