package dev.llmautoscale.examples.deploy;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The sample names of a Prometheus text exposition. */
public final class Exposition {

    private Exposition() {
    }

    /**
     * @param text a scrape in the Prometheus text format
     * @return every sample name in it (histograms give their _bucket, _count and _sum names)
     */
    public static Set<String> sampleNames(String text) {
        Set<String> names = new TreeSet<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = 0;
            while (end < line.length() && line.charAt(end) != '{' && line.charAt(end) != ' ') {
                end++;
            }
            names.add(line.substring(0, end));
        }
        return names;
    }

    /**
     * The value of one series.
     *
     * @param text a scrape
     * @param series the series, such as {@code llm_inference_queue_depth} or
     *     {@code llm_inference_requests_total{model="m",status="success"}}; label order does not matter (registries
     *     differ: Spring Boot's puts {@code le} last)
     * @return its value, or NaN when absent
     */
    public static double value(String text, String series) {
        int brace = series.indexOf('{');
        String name = brace < 0 ? series : series.substring(0, brace);
        Map<String, String> wanted = brace < 0 ? Map.of()
                : labels(series.substring(brace + 1, series.lastIndexOf('}')));
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(name)) {
                continue;
            }
            int end = name.length();
            Map<String, String> have;
            int close;
            if (line.length() > end && line.charAt(end) == '{') {
                close = line.indexOf('}', end);
                have = labels(line.substring(end + 1, close));
                close++;
            } else if (line.length() > end && line.charAt(end) == ' ') {
                have = Map.of();
                close = end;
            } else {
                continue;
            }
            if (have.equals(wanted)) {
                String rest = line.substring(close).trim();
                int space = rest.indexOf(' ');
                return Double.parseDouble(space < 0 ? rest : rest.substring(0, space));
            }
        }
        return Double.NaN;
    }

    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:\\\\.|[^\"\\\\])*)\"");

    private static Map<String, String> labels(String inside) {
        Map<String, String> out = new HashMap<>();
        Matcher m = LABEL.matcher(inside);
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        return out;
    }
}
