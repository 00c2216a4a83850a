package dev.llmautoscale.spring.app;

import java.util.stream.Collectors;

/** Reads a Prometheus text-format scrape. */
final class Scrape {

    private Scrape() {
    }

    /**
     * The value of one sample.
     *
     * @param scrape the exposition
     * @param name the sample name, such as {@code llm_inference_requests_total}
     * @param labels the exact label set as exposed, such as {@code model="m",status="success"}; empty for none
     * @return the value, or NaN when there is no such sample
     */
    static double value(String scrape, String name, String labels) {
        String prefix = labels.isEmpty() ? name + " " : name + "{" + labels + "} ";
        for (String line : scrape.split("\n")) {
            if (line.startsWith(prefix)) {
                return Double.parseDouble(line.substring(prefix.length()).trim().split(" ")[0]);
            }
        }
        return Double.NaN;
    }

    /**
     * Only the {@code llm_*} families, with their HELP and TYPE lines: the library's own contract.
     *
     * @param scrape the exposition
     * @return the library's part of it
     */
    static String llmFamilies(String scrape) {
        return scrape.lines()
                .filter(l -> l.startsWith("llm_") || l.startsWith("# HELP llm_") || l.startsWith("# TYPE llm_"))
                .collect(Collectors.joining("\n", "", "\n"));
    }
}
