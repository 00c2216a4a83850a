package dev.llmautoscale.examples.deploy;

import java.util.Set;
import java.util.TreeSet;

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
     * The value of one series line.
     *
     * @param text a scrape
     * @param series the series exactly as exposed, such as {@code llm_inference_queue_depth} or
     *     {@code llm_inference_requests_total{model="m",status="success"}}
     * @return its value, or NaN when absent
     */
    public static double value(String text, String series) {
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return Double.NaN;
    }
}
