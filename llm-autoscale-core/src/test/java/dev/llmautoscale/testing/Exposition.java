package dev.llmautoscale.testing;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A small parser of the Prometheus text exposition format, enough to compare families in tests. */
public final class Exposition {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One family: its type, the label names its samples carry (without {@code le}), and its buckets. */
    public static final class Family {
        public String type;
        public final Set<String> labelNames = new TreeSet<>();
        public final Set<Double> buckets = new TreeSet<>();
        public final Map<String, Double> samples = new LinkedHashMap<>();
    }

    private final Map<String, Family> families = new LinkedHashMap<>();

    private Exposition() {
    }

    /**
     * @param text a text-format exposition
     * @return the parsed families, by family name
     */
    public static Exposition parse(String text) {
        Exposition e = new Exposition();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring(7).trim().split("\\s+");
                e.families.computeIfAbsent(parts[0], k -> new Family()).type = parts[1];
            } else if (!line.startsWith("#") && !line.isBlank()) {
                Matcher m = SAMPLE.matcher(line);
                if (!m.find()) {
                    throw new IllegalArgumentException("not a sample line: " + line);
                }
                String sample = m.group(1);
                Family f = e.familyOf(sample);
                String labels = m.group(3) == null ? "" : m.group(3);
                Matcher l = LABEL.matcher(labels);
                Set<String> names = new LinkedHashSet<>();
                while (l.find()) {
                    if (l.group(1).equals("le")) {
                        f.buckets.add(l.group(2).equals("+Inf") ? Double.POSITIVE_INFINITY
                                : Double.parseDouble(l.group(2)));
                    } else {
                        names.add(l.group(1));
                    }
                }
                f.labelNames.addAll(names);
                f.samples.put(sample + (labels.isEmpty() ? "" : "{" + labels + "}"), parseValue(m.group(4)));
            }
        }
        return e;
    }

    private static double parseValue(String v) {
        switch (v) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                return Double.parseDouble(v);
        }
    }

    private Family familyOf(String sample) {
        if (families.containsKey(sample)) {
            return families.get(sample);
        }
        for (String suffix : new String[] {"_bucket", "_count", "_sum", "_total", "_created"}) {
            if (sample.endsWith(suffix)) {
                String base = sample.substring(0, sample.length() - suffix.length());
                if (families.containsKey(base)) {
                    return families.get(base);
                }
            }
        }
        return families.computeIfAbsent(sample, k -> new Family());
    }

    /**
     * @param name a family name
     * @return the family, or {@code null}
     */
    public Family family(String name) {
        return families.get(name);
    }

    /**
     * @return every family by name
     */
    public Map<String, Family> families() {
        return families;
    }

    /**
     * The value of one sample.
     *
     * @param sampleWithLabels e.g. {@code llm_inference_requests_total{model="a",status="success"}} with labels in
     *     exposition order
     * @return the value, or {@code null}
     */
    public Double value(String sampleWithLabels) {
        for (Family f : families.values()) {
            Double v = f.samples.get(sampleWithLabels);
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
