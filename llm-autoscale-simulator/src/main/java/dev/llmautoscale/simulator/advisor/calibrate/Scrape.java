package dev.llmautoscale.simulator.advisor.calibrate;

import dev.llmautoscale.simulator.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A scrape of {@code /metrics} in the Prometheus text format: sample name with its labels (as written) to value.
 *
 * @param file    where it came from
 * @param samples the samples
 */
public record Scrape(String file, Map<String, Double> samples) {

    /**
     * @param file a saved scrape
     * @return the samples
     */
    public static Scrape read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), "(file)", "no such file");
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "(file)", "cannot be read: " + e.getMessage());
        }
        Map<String, Double> out = new LinkedHashMap<>();
        int n = 0;
        for (String line : text.split("\n")) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int end = line.indexOf('}') >= 0 ? line.indexOf('}') + 1 : line.indexOf(' ');
            if (end <= 0 || end >= line.length()) {
                throw new ConfigException(file.toString(), "line " + n, "not a sample of the Prometheus text"
                        + " format: " + line);
            }
            String rest = line.substring(end).trim().split("\\s+")[0];
            try {
                out.put(line.substring(0, end), Double.parseDouble(rest));
            } catch (NumberFormatException e) {
                throw new ConfigException(file.toString(), "line " + n, "sample value '" + rest + "' is not a number");
            }
        }
        return new Scrape(file.toString(), Map.copyOf(out));
    }

    /**
     * @param name   a family name
     * @param labelFragment text the label set must contain (such as {@code hook="load-model}), or ""
     * @return the sum of the matching samples (0 when none)
     */
    public double sum(String name, String labelFragment) {
        double s = 0;
        for (Map.Entry<String, Double> e : samples.entrySet()) {
            String k = e.getKey();
            if ((k.equals(name) || k.startsWith(name + "{")) && k.contains(labelFragment) && !e.getValue().isNaN()) {
                s += e.getValue();
            }
        }
        return s;
    }

    /**
     * @param name a family name
     * @param labelFragment as for {@link #sum}
     * @return whether a sample matches
     */
    public boolean has(String name, String labelFragment) {
        return samples.keySet().stream().anyMatch(k -> (k.equals(name) || k.startsWith(name + "{"))
                && k.contains(labelFragment));
    }
}
