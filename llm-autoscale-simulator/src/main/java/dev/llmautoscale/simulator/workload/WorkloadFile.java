package dev.llmautoscale.simulator.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmautoscale.simulator.config.ConfigException;
import dev.llmautoscale.simulator.config.ConfigNode;
import dev.llmautoscale.simulator.config.Distribution;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Reads a workload file (YAML; {@code docs/SIMULATOR.md} lists every type and field): {@code constant},
 * {@code ramp}, {@code spike}, {@code diurnal}, {@code bursts} (Poisson bursts), {@code trace} (the load
 * generator's CSV or a simple {@code t,prompt_tokens,max_tokens} CSV) and {@code prometheus} (a
 * {@code /api/v1/query_range} JSON of a request rate).
 */
public final class WorkloadFile {

    private static final double DAY = 86_400;
    private static final double BIG = 1e9;
    private static final Set<String> COMMON = Set.of("type", "duration", "arrivals", "promptTokens", "outputTokens");

    private WorkloadFile() {
    }

    /**
     * @param root    the document
     * @param baseDir the directory relative trace paths are resolved against
     * @param seed    the run's seed
     * @return the workload
     */
    public static Workload parse(ConfigNode root, Path baseDir, long seed) {
        root.requireObject();
        String type = root.string("type", null, "constant", "ramp", "spike", "diurnal", "bursts", "trace",
                "prometheus");
        if (type == null) {
            throw root.get("type").fail("missing; allowed values: constant, ramp, spike, diurnal, bursts, trace,"
                    + " prometheus");
        }
        Distribution prompt = Distribution.parse(root.get("promptTokens"), Distribution.fixed(128), 1, 1e7);
        Distribution output = Distribution.parse(root.get("outputTokens"), Distribution.fixed(64), 1, 1e7);
        boolean poisson = root.string("arrivals", "poisson", "poisson", "uniform").equals("poisson");
        SplittableRandom rnd = new SplittableRandom(seed);
        long arrivalSeed = rnd.split().nextLong();
        double duration = root.number("duration", 3600, 1, 365 * DAY);
        switch (type) {
            case "constant" -> {
                root.requireKnown(with("rate"));
                return new RateWorkload(RateShape.constant(required(root, "rate", 0, BIG)), poisson, prompt, output,
                        duration, Double.NaN, arrivalSeed);
            }
            case "ramp" -> {
                root.requireKnown(with("from", "to", "over"));
                return new RateWorkload(RateShape.ramp(required(root, "from", 0, BIG), required(root, "to", 0, BIG),
                        root.number("over", duration, 1, 365 * DAY)), poisson, prompt, output, duration, Double.NaN,
                        arrivalSeed);
            }
            case "spike" -> {
                root.requireKnown(with("base", "peak", "at", "length"));
                double at = required(root, "at", 0, 365 * DAY);
                return new RateWorkload(RateShape.spike(required(root, "base", 0, BIG),
                        required(root, "peak", 0, BIG), at, required(root, "length", 1, 365 * DAY)), poisson, prompt,
                        output, duration, at, arrivalSeed);
            }
            case "diurnal" -> {
                root.requireKnown(with("mean", "amplitude", "period", "peakAt"));
                return new RateWorkload(RateShape.diurnal(required(root, "mean", 0, BIG),
                        required(root, "amplitude", 0, BIG), root.number("period", DAY, 1, 365 * DAY),
                        root.number("peakAt", 14 * 3600, 0, 365 * DAY)), poisson, prompt, output, duration,
                        Double.NaN, arrivalSeed);
            }
            case "bursts" -> {
                root.requireKnown(with("base", "burstRate", "meanInterval", "length"));
                double meanInterval = required(root, "meanInterval", 1, 365 * DAY);
                double length = required(root, "length", 1, 365 * DAY);
                SplittableRandom burstRnd = rnd.split();
                List<Double> starts = new ArrayList<>();
                double t = -meanInterval * Math.log(1 - burstRnd.nextDouble());
                while (t < duration) {
                    starts.add(t);
                    t += length - meanInterval * Math.log(1 - burstRnd.nextDouble());
                }
                double[] s = starts.stream().mapToDouble(Double::doubleValue).toArray();
                return new RateWorkload(RateShape.bursts(required(root, "base", 0, BIG),
                        required(root, "burstRate", 0, BIG), s, length), poisson, prompt, output, duration,
                        s.length == 0 ? Double.NaN : s[0], arrivalSeed);
            }
            case "trace" -> {
                root.requireKnown(Set.of("type", "file", "format", "speed", "duration"));
                Path file = baseDir.resolve(root.get("file").text());
                String format = root.string("format", "auto", "auto", "loadgen", "simple");
                double speed = root.number("speed", 1, 1e-6, 1e6);
                return TraceCsv.read(file, format, speed, root.has("duration") ? duration : -1);
            }
            default -> {
                root.requireKnown(with("file", "scale"));
                Path file = baseDir.resolve(root.get("file").text());
                double scale = root.number("scale", 1, 0, BIG);
                double[][] series = prometheusRange(file, scale);
                double d = root.has("duration") ? duration : series[0][series[0].length - 1] + stepOf(series[0]);
                return new RateWorkload(RateShape.series(series[0], series[1], file.getFileName().toString()),
                        poisson, prompt, output, d, Double.NaN, arrivalSeed);
            }
        }
    }

    private static Set<String> with(String... more) {
        Set<String> s = new java.util.HashSet<>(COMMON);
        s.addAll(Arrays.asList(more));
        return s;
    }

    private static double required(ConfigNode n, String field, double min, double max) {
        if (!n.has(field)) {
            throw n.get(field).fail("missing; the " + n.string("type", "") + " workload needs it (a number "
                    + (max >= BIG ? ">= " + (long) min : "between " + (long) min + " and " + (long) max) + ")");
        }
        return n.number(field, 0, min, max);
    }

    private static double stepOf(double[] times) {
        return times.length > 1 ? times[times.length - 1] - times[times.length - 2] : 60;
    }

    /**
     * Reads a Prometheus {@code /api/v1/query_range} answer (resultType matrix) of a request rate; several series
     * are summed per timestamp.
     *
     * @param file  the JSON file
     * @param scale a factor applied to every value
     * @return {times from 0, rates}
     */
    static double[][] prometheusRange(Path file, double scale) {
        String name = file.toString();
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigException(name, "(file)", Files.exists(file) ? "not valid JSON: " + e.getMessage()
                    : "no such file");
        }
        if (!"success".equals(root.path("status").asText())) {
            throw new ConfigException(name, "status", "'" + root.path("status").asText()
                    + "'; allowed: success (a /api/v1/query_range answer)");
        }
        JsonNode data = root.path("data");
        if (!"matrix".equals(data.path("resultType").asText())) {
            throw new ConfigException(name, "data.resultType", "'" + data.path("resultType").asText()
                    + "'; allowed: matrix (the answer of /api/v1/query_range)");
        }
        TreeMap<Double, Double> sum = new TreeMap<>();
        JsonNode result = data.path("result");
        if (!result.isArray() || result.isEmpty()) {
            throw new ConfigException(name, "data.result", "empty; the query returned no series");
        }
        for (int i = 0; i < result.size(); i++) {
            JsonNode values = result.get(i).path("values");
            if (!values.isArray()) {
                throw new ConfigException(name, "data.result[" + i + "].values", "missing; expected [[time, \"value\"], ...]");
            }
            for (int j = 0; j < values.size(); j++) {
                JsonNode p = values.get(j);
                String field = "data.result[" + i + "].values[" + j + "]";
                if (!p.isArray() || p.size() != 2 || !p.get(0).isNumber()) {
                    throw new ConfigException(name, field, "expected [unix seconds, \"value\"]");
                }
                double v;
                try {
                    v = Double.parseDouble(p.get(1).asText());
                } catch (NumberFormatException e) {
                    throw new ConfigException(name, field, "'" + p.get(1).asText() + "' is not a number");
                }
                if (!(v >= 0) || Double.isInfinite(v)) {
                    throw new ConfigException(name, field, "a request rate must be a finite number >= 0, got " + v);
                }
                sum.merge(p.get(0).asDouble(), v * scale, Double::sum);
            }
        }
        double t0 = sum.firstKey();
        double[] times = new double[sum.size()];
        double[] rates = new double[sum.size()];
        int k = 0;
        for (Map.Entry<Double, Double> e : sum.entrySet()) {
            times[k] = e.getKey() - t0;
            rates[k++] = e.getValue();
        }
        return new double[][] {times, rates};
    }

    /** CSV traces: the load generator's per-request CSV, or {@code t,prompt_tokens,max_tokens}. */
    static final class TraceCsv {
        private TraceCsv() {
        }

        static TraceWorkload read(Path file, String format, double speed, double duration) {
            String name = file.toString();
            List<String> lines;
            try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                lines = r.lines().toList();
            } catch (NoSuchFileException e) {
                throw new ConfigException(name, "(file)", "no such file");
            } catch (IOException | java.io.UncheckedIOException e) {
                throw new ConfigException(name, "(file)", "cannot be read: " + e.getMessage());
            }
            int first = 0;
            while (first < lines.size() && (lines.get(first).isBlank() || lines.get(first).startsWith("#"))) {
                first++;
            }
            if (first >= lines.size()) {
                throw new ConfigException(name, "(file)", "the trace has no rows");
            }
            List<String> header = split(lines.get(first));
            boolean hasHeader = !header.get(0).isEmpty() && !Character.isDigit(header.get(0).charAt(0))
                    && header.get(0).charAt(0) != '.';
            String fmt = format;
            if (fmt.equals("auto")) {
                fmt = hasHeader && header.contains("scheduled_ms") ? "loadgen" : "simple";
            }
            int tCol;
            int pCol;
            int mCol;
            double timeUnit;
            if (fmt.equals("loadgen")) {
                if (!hasHeader || !header.contains("scheduled_ms")) {
                    throw new ConfigException(name, "row " + (first + 1), "the load generator's CSV starts with its"
                            + " header (id,scheduled_ms,...,prompt_tokens,max_tokens,...)");
                }
                tCol = header.indexOf("scheduled_ms");
                pCol = column(header, "prompt_tokens", name, first);
                mCol = column(header, "max_tokens", name, first);
                timeUnit = 1e-3;
            } else {
                tCol = 0;
                pCol = 1;
                mCol = 2;
                timeUnit = 1;
            }
            String[] colNames = {fmt.equals("loadgen") ? "scheduled_ms" : "t", "prompt_tokens", "max_tokens"};
            int expected = fmt.equals("loadgen") ? header.size() : 3;
            int n = 0;
            double[] times = new double[Math.max(16, lines.size())];
            int[] prompts = new int[times.length];
            int[] outputs = new int[times.length];
            double previous = 0;
            for (int i = hasHeader ? first + 1 : first; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String row = "row " + (i + 1);
                List<String> f = split(line);
                if (f.size() != expected) {
                    throw new ConfigException(name, row, "expected " + expected + " columns"
                            + (fmt.equals("simple") ? " (t,prompt_tokens,max_tokens)" : " as in the header")
                            + ", got " + f.size() + ": '" + line + "'");
                }
                double t = number(f.get(tCol), name, row, colNames[0]) * timeUnit / speed;
                int p = tokens(f.get(pCol), name, row, colNames[1]);
                int m = tokens(f.get(mCol), name, row, colNames[2]);
                if (t < previous) {
                    throw new ConfigException(name, row + ", column " + colNames[0], "time " + f.get(tCol)
                            + " is earlier than the row before; allowed: rows sorted by time");
                }
                previous = t;
                times[n] = t;
                prompts[n] = p;
                outputs[n] = m;
                n++;
            }
            if (n == 0) {
                throw new ConfigException(name, "(file)", "the trace has no rows");
            }
            double d = duration > 0 ? duration : Math.ceil(times[n - 1]) + 1;
            return new TraceWorkload(Arrays.copyOf(times, n), Arrays.copyOf(prompts, n), Arrays.copyOf(outputs, n),
                    d, String.format(java.util.Locale.ROOT, "trace %s (%s format, %d requests, speed %s)",
                    file.getFileName(), fmt, n, speed));
        }

        private static int column(List<String> header, String col, String name, int row) {
            int i = header.indexOf(col);
            if (i < 0) {
                throw new ConfigException(name, "row " + (row + 1), "the header has no column " + col);
            }
            return i;
        }

        private static double number(String s, String file, String row, String col) {
            try {
                double v = Double.parseDouble(s.strip());
                if (v >= 0 && !Double.isInfinite(v)) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new ConfigException(file, row + ", column " + col, "'" + s + "' is not a number >= 0");
        }

        private static int tokens(String s, String file, String row, String col) {
            try {
                int v = Integer.parseInt(s.strip());
                if (v >= 1) {
                    return v;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw new ConfigException(file, row + ", column " + col, "'" + s + "' is not a token count (an integer"
                    + " >= 1)");
        }

        /** Splits one CSV line, honouring double quotes. */
        static List<String> split(String line) {
            List<String> out = new ArrayList<>();
            StringBuilder b = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        b.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        b.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    out.add(b.toString().strip());
                    b.setLength(0);
                } else {
                    b.append(c);
                }
            }
            out.add(b.toString().strip());
            return out;
        }
    }
}
