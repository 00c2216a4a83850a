package dev.llmautoscale.simulator.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmautoscale.simulator.sim.ScaleEvent;
import dev.llmautoscale.simulator.sim.SimulationResult;
import dev.llmautoscale.simulator.sim.StepLog;
import dev.llmautoscale.simulator.sim.Summary;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The text outputs: the summary table, the JSON summary and the per-step CSV. */
public final class Reports {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Reports() {
    }

    /** The rows of the summary table: label and how to format each result. */
    static List<String[]> rows(List<SimulationResult> results) {
        List<String[]> rows = new ArrayList<>();
        add(rows, "requests offered", results, s -> count(s.offered()));
        add(rows, "served (200)", results, s -> count(s.served()));
        add(rows, "rejected (429)", results, s -> count(s.rejected()));
        add(rows, "unavailable (503)", results, s -> count(s.unavailable()));
        add(rows, "lost in scale-down", results, s -> count(s.lost()));
        add(rows, "still in flight at the end", results, s -> count(s.unfinished()));
        add(rows, "queue wait p50/p95/p99 ms", results, s -> pct(s.queueWaitMs()));
        add(rows, "TTFT p50/p95/p99 ms", results, s -> pct(s.ttftMs()));
        add(rows, "e2e p50/p95/p99 ms", results, s -> pct(s.e2eMs()));
        add(rows, "SLO TTFT attainment", results, s -> String.format(Locale.ROOT, "%.2f%% (<= %.0f ms)",
                100 * s.ttftAttainment(), s.sloTtftMs()));
        add(rows, "SLO e2e attainment", results, s -> String.format(Locale.ROOT, "%.2f%% (<= %.0f ms)",
                100 * s.e2eAttainment(), s.sloE2eMs()));
        add(rows, "replica-minutes", results, s -> num(s.replicaMinutes()));
        add(rows, "GPU-hours (nodes, billed)", results, s -> num(s.nodeGpuHours()));
        add(rows, "GPU-hours (pods)", results, s -> num(s.podGpuHours()));
        add(rows, "cost", results, s -> num(s.cost()));
        add(rows, "max nodes", results, s -> Integer.toString(s.maxNodes()));
        add(rows, "replicas min..max", results, s -> s.minReplicas() + ".." + s.maxReplicas());
        add(rows, "scale-ups / scale-downs", results, s -> s.scaleUps() + " / " + s.scaleDowns());
        add(rows, "thrash (reversals)", results, s -> Integer.toString(s.thrash()));
        add(rows, "reaction time s", results, s -> Double.isNaN(s.reactionSeconds()) ? "-"
                : String.format(Locale.ROOT, "%.0f", s.reactionSeconds()));
        return rows;
    }

    private static void add(List<String[]> rows, String name, List<SimulationResult> results,
                            java.util.function.Function<Summary, String> f) {
        String[] row = new String[results.size() + 1];
        row[0] = name;
        for (int i = 0; i < results.size(); i++) {
            row[i + 1] = f.apply(results.get(i).summary());
        }
        rows.add(row);
    }

    /**
     * @param results one or more runs
     * @return the table, one column per run
     */
    public static String table(List<SimulationResult> results) {
        List<String[]> rows = rows(results);
        String[] header = new String[results.size() + 1];
        header[0] = "";
        for (int i = 0; i < results.size(); i++) {
            header[i + 1] = results.get(i).label();
        }
        rows.add(0, header);
        int[] width = new int[header.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (SimulationResult r : results) {
            b.append(r.label()).append(": ").append(r.autoscaler()).append('\n');
        }
        b.append("workload: ").append(results.get(0).workload()).append("\n\n");
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                String cell = r[i];
                b.append(i == 0 ? pad(cell, width[i]) : padLeft(cell, width[i]));
                b.append(i + 1 < r.length ? "  " : "");
            }
            b.append('\n');
        }
        return b.toString();
    }

    /**
     * @param results one or more runs
     * @return the JSON summary (an object for one run, an array for several)
     */
    public static String json(List<SimulationResult> results) {
        ArrayNode arr = JSON.createArrayNode();
        for (SimulationResult r : results) {
            arr.add(jsonOf(r));
        }
        try {
            return JSON.writeValueAsString(results.size() == 1 ? arr.get(0) : arr) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode jsonOf(SimulationResult r) {
        Summary s = r.summary();
        ObjectNode o = JSON.createObjectNode();
        o.put("label", r.label());
        o.put("autoscaler", r.autoscaler());
        o.put("workload", r.workload());
        o.put("simulatedSeconds", s.simulatedSeconds());
        ObjectNode req = o.putObject("requests");
        req.put("offered", s.offered());
        req.put("served", s.served());
        req.put("rejected429", s.rejected());
        req.put("unavailable503", s.unavailable());
        req.put("lostInScaleDown", s.lost());
        req.put("invalid400", s.invalid());
        req.put("unfinished", s.unfinished());
        ObjectNode lat = o.putObject("latencyMs");
        pct(lat.putObject("queueWait"), s.queueWaitMs());
        pct(lat.putObject("ttft"), s.ttftMs());
        pct(lat.putObject("e2e"), s.e2eMs());
        ObjectNode slo = o.putObject("slo");
        slo.put("ttftTargetMs", s.sloTtftMs());
        slo.put("ttftAttainment", round(s.ttftAttainment()));
        slo.put("e2eTargetMs", s.sloE2eMs());
        slo.put("e2eAttainment", round(s.e2eAttainment()));
        ObjectNode cost = o.putObject("capacity");
        cost.put("replicaMinutes", round(s.replicaMinutes()));
        cost.put("podGpuHours", round(s.podGpuHours()));
        cost.put("nodeGpuHours", round(s.nodeGpuHours()));
        cost.put("cost", round(s.cost()));
        cost.put("maxNodes", s.maxNodes());
        cost.put("minReplicas", s.minReplicas());
        cost.put("maxReplicas", s.maxReplicas());
        ObjectNode sc = o.putObject("scaling");
        sc.put("scaleUps", s.scaleUps());
        sc.put("scaleDowns", s.scaleDowns());
        sc.put("thrash", s.thrash());
        if (Double.isNaN(s.reactionSeconds())) {
            sc.putNull("reactionSeconds");
        } else {
            sc.put("reactionSeconds", s.reactionSeconds());
        }
        ArrayNode ev = sc.putArray("events");
        for (ScaleEvent e : r.events()) {
            ev.addObject().put("t", e.t()).put("from", e.from()).put("to", e.to());
        }
        return o;
    }

    private static void pct(ObjectNode o, Summary.Percentiles p) {
        put(o, "p50", p.p50());
        put(o, "p95", p.p95());
        put(o, "p99", p.p99());
        put(o, "max", p.max());
    }

    private static void put(ObjectNode o, String k, double v) {
        if (Double.isNaN(v)) {
            o.putNull(k);
        } else {
            o.put(k, round(v));
        }
    }

    private static double round(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 1000) / 1000.0;
    }

    /**
     * Writes the per-step CSV.
     *
     * @param r    a run
     * @param path the file (replaced)
     * @throws IOException when writing fails
     */
    public static void writeCsv(SimulationResult r, Path path) throws IOException {
        StepLog log = r.steps();
        try (Writer w = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
            w.write(String.join(",", StepLog.COLUMNS));
            w.write('\n');
            StringBuilder b = new StringBuilder(128);
            for (int i = 0; i < log.size(); i++) {
                b.setLength(0);
                b.append(num(log.time(i)));
                for (int c = 1; c < StepLog.COLUMNS.length; c++) {
                    b.append(',').append(log.value(c, i));
                }
                b.append('\n');
                w.write(b.toString());
            }
        }
    }

    static String count(long v) {
        return Long.toString(v);
    }

    static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e12) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String pct(Summary.Percentiles p) {
        if (Double.isNaN(p.p50())) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.0f / %.0f / %.0f", p.p50(), p.p95(), p.p99());
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(Math.max(0, w - s.length()));
    }

    private static String padLeft(String s, int w) {
        return " ".repeat(Math.max(0, w - s.length())) + s;
    }
}
