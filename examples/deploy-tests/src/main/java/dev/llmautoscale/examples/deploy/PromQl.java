package dev.llmautoscale.examples.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Finds the PromQL in the manifests and the metric names it reads. */
public final class PromQl {

    /**
     * One PromQL expression found in a manifest.
     *
     * @param where the manifest and field, for messages
     * @param expr the expression, runnable as is (adapter templates already filled in)
     * @param kind what reads it: {@code keda}, {@code adapter}, {@code alert} or {@code dashboard}
     */
    public record Query(String where, String expr, String kind) {
    }

    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset", "inf", "nan", "atan2");
    private static final Pattern STRINGS = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])*'|`[^`]*`");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern GROUPINGS = Pattern.compile(
            "\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", Pattern.CASE_INSENSITIVE);
    private static final Pattern AGGREGATION_GROUPING = Pattern.compile("(?i)(by|without)\\s*\\(");
    private static final Pattern TOKENS = Pattern.compile(
            "(?<num>\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?[a-z]*)|(?<id>[a-zA-Z_:][a-zA-Z0-9_:]*)");

    private PromQl() {
    }

    /**
     * The metric names an expression selects: identifiers that are not functions, aggregations, keywords, label
     * names (inside braces or groupings) or durations.
     *
     * @param expr a PromQL expression
     * @return the names, in order of appearance
     */
    public static Set<String> metricNames(String expr) {
        String s = STRINGS.matcher(expr).replaceAll("\"\"");
        s = MATCHERS.matcher(s).replaceAll("{}");
        s = RANGES.matcher(s).replaceAll("[]");
        s = GROUPINGS.matcher(s).replaceAll("$1 ()");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = TOKENS.matcher(s);
        String previous = "";
        while (m.find()) {
            String id = m.group("id");
            if (id == null) {
                previous = m.group("num");
                continue;
            }
            int next = m.end();
            while (next < s.length() && Character.isWhitespace(s.charAt(next))) {
                next++;
            }
            // A function call, or an aggregation with its grouping first: sum by (pod) (...)
            boolean call = next < s.length() && s.charAt(next) == '('
                    || AGGREGATION_GROUPING.matcher(s).region(next, s.length()).lookingAt();
            if (!call && !KEYWORDS.contains(id.toLowerCase(java.util.Locale.ROOT)) && !previous.equals("offset")) {
                names.add(id);
            }
            previous = id;
        }
        return names;
    }

    /**
     * Every PromQL expression in the manifests: KEDA prometheus triggers, prometheus-adapter rules (with the
     * adapter's template variables replaced as the adapter would for one pod), PrometheusRule expressions.
     *
     * @param manifests the documents
     * @return the expressions
     */
    public static List<Query> queries(List<Manifest> manifests) {
        List<Query> out = new ArrayList<>();
        for (Manifest m : manifests) {
            switch (m.kind()) {
                case "ScaledObject" -> {
                    List<?> triggers = (List<?>) m.get("spec", "triggers");
                    for (int i = 0; i < triggers.size(); i++) {
                        if ("prometheus".equals(Manifest.at(triggers.get(i), "type"))) {
                            out.add(new Query(m + " triggers[" + i + "].metadata.query",
                                    String.valueOf(Manifest.at(triggers.get(i), "metadata", "query")), "keda"));
                        }
                    }
                }
                case "ConfigMap" -> {
                    for (AdapterRule r : adapterRules(m)) {
                        out.add(new Query(m + " rule " + r.as() + " seriesQuery", r.seriesQuery(), "adapter"));
                        out.add(new Query(m + " rule " + r.as() + " metricsQuery", r.filledMetricsQuery(), "adapter"));
                    }
                }
                case "PrometheusRule" -> {
                    List<?> groups = (List<?>) m.get("spec", "groups");
                    for (Object g : groups) {
                        List<?> rules = (List<?>) Manifest.at(g, "rules");
                        for (Object r : rules) {
                            Object name = Manifest.at(r, "alert") != null ? Manifest.at(r, "alert")
                                    : Manifest.at(r, "record");
                            out.add(new Query(m + " rule " + name, String.valueOf(Manifest.at(r, "expr")), "alert"));
                        }
                    }
                }
                default -> {
                    // no PromQL
                }
            }
        }
        return out;
    }

    /** What the dashboards' Grafana variables are replaced with: the test namespace and a 5-minute rate window. */
    public static final Map<String, String> DASHBOARD_VARIABLES = Map.of("$namespace", "ml-workloads",
            "$__rate_interval", "5m");

    /**
     * Every panel query of the Grafana dashboards in deploy/grafana/ (JSON), with the Grafana variables filled in
     * ({@link #DASHBOARD_VARIABLES}).
     *
     * @return the expressions, kind {@code dashboard}
     */
    public static List<Query> dashboardQueries() {
        Path dir = RepositoryLayout.deploy().resolve("grafana");
        List<Query> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                Object dashboard = Manifests.parse(Files.readString(file, StandardCharsets.UTF_8));
                for (Object panel : (List<?>) Manifest.at(dashboard, "panels")) {
                    List<?> targets = (List<?>) Manifest.at(panel, "targets");
                    for (Object target : targets) {
                        String expr = String.valueOf(Manifest.at(target, "expr"));
                        for (Map.Entry<String, String> v : DASHBOARD_VARIABLES.entrySet()) {
                            expr = expr.replace(v.getKey(), v.getValue());
                        }
                        out.add(new Query("deploy/grafana/" + file.getFileName() + " panel '"
                                + Manifest.at(panel, "title") + "' target " + Manifest.at(target, "refId"), expr,
                                "dashboard"));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * The signal of an alert: the expression without its top-level comparison ({@code x > 10} gives {@code x}), which
     * returns data whether or not the alert fires. Comparison binds weaker than arithmetic in PromQL, so the operand
     * left of the last top-level comparison (outside parentheses, braces, brackets and strings) is the signal.
     *
     * @param expr an expression
     * @return its left operand, or the expression when it has no top-level comparison
     */
    public static String signal(String expr) {
        int depth = 0;
        int cut = -1;
        char quote = 0;
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            switch (c) {
                case '"', '\'', '`' -> quote = c;
                case '(', '{', '[' -> depth++;
                case ')', '}', ']' -> depth--;
                case '>', '<' -> {
                    if (depth == 0) {
                        cut = i;
                    }
                }
                case '=', '!' -> {
                    if (depth == 0 && i + 1 < expr.length() && expr.charAt(i + 1) == '='
                            && (i == 0 || "<>=!".indexOf(expr.charAt(i - 1)) < 0)) {
                        cut = i;
                    }
                }
                default -> {
                    // part of an operand
                }
            }
        }
        return cut < 0 ? expr.trim() : expr.substring(0, cut).trim();
    }

    /**
     * One prometheus-adapter rule.
     *
     * @param seriesQuery the series selector
     * @param matches the name regex
     * @param as the name the custom metrics API serves
     * @param metricsQuery the query template
     */
    public record AdapterRule(String seriesQuery, String matches, String as, String metricsQuery) {

        /**
         * @return the metric the rule serves: its {@code matches} regex without anchors
         */
        public String series() {
            return matches.replace("^", "").replace("$", "");
        }

        /**
         * @return the metrics query as the adapter runs it for one pod
         */
        public String filledMetricsQuery() {
            return metricsQuery.replace("<<.Series>>", series())
                    .replace("<<.LabelMatchers>>", "namespace=\"ml-workloads\",pod=\"llm-inference-0\"")
                    .replace("<<.GroupBy>>", "namespace, pod");
        }
    }

    /**
     * The prometheus-adapter rules embedded in a ConfigMap's {@code config.yaml}, if any.
     *
     * @param m a ConfigMap
     * @return its rules (empty for other ConfigMaps)
     */
    public static List<AdapterRule> adapterRules(Manifest m) {
        Object config = m.get("data", "config.yaml");
        if (!(config instanceof String text)) {
            return List.of();
        }
        Object parsed = Manifests.parse(text);
        List<AdapterRule> out = new ArrayList<>();
        if (parsed instanceof Map<?, ?> map && map.get("rules") instanceof List<?> rules) {
            for (Object r : rules) {
                out.add(new AdapterRule(String.valueOf(Manifest.at(r, "seriesQuery")),
                        String.valueOf(Manifest.at(r, "name", "matches")), String.valueOf(Manifest.at(r, "name", "as")),
                        String.valueOf(Manifest.at(r, "metricsQuery"))));
            }
        }
        return out;
    }
}
