package dev.llmautoscale.simulator.report;

import dev.llmautoscale.simulator.sim.ScaleEvent;
import dev.llmautoscale.simulator.sim.SimulationResult;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/** One self-contained HTML page: the chart (embedded as base64 PNG), the summary table and the scale events. */
public final class HtmlReport {

    private HtmlReport() {
    }

    /**
     * @param results one or more runs
     * @param title   the page title
     * @param png     the chart
     * @return the page
     */
    public static String html(List<SimulationResult> results, String title, byte[] png) {
        StringBuilder b = new StringBuilder(png.length * 4 / 3 + 8192);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:1250px}"
                        + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px}"
                        + "td.n{text-align:right}img{max-width:100%}</style></head><body>\n");
        b.append("<h1>").append(esc(title)).append("</h1>\n<ul>\n");
        for (SimulationResult r : results) {
            b.append("<li><b>").append(esc(r.label())).append("</b>: ").append(esc(r.autoscaler())).append("</li>\n");
        }
        b.append("<li>workload: ").append(esc(results.get(0).workload())).append("</li>\n</ul>\n");
        b.append("<img alt=\"offered load, replicas and queue depth over time\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\">\n");
        b.append("<h2>Summary</h2>\n<table><tr><th></th>");
        for (SimulationResult r : results) {
            b.append("<th>").append(esc(r.label())).append("</th>");
        }
        b.append("</tr>\n");
        for (String[] row : Reports.rows(results)) {
            b.append("<tr><td>").append(esc(row[0])).append("</td>");
            for (int i = 1; i < row.length; i++) {
                b.append("<td class=\"n\">").append(esc(row[i])).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n");
        for (SimulationResult r : results) {
            b.append("<h2>Scale events: ").append(esc(r.label())).append("</h2>\n<p>");
            if (r.events().isEmpty()) {
                b.append("none");
            }
            int shown = 0;
            for (ScaleEvent e : r.events()) {
                if (shown++ == 200) {
                    b.append(" ... (").append(r.events().size() - 200).append(" more)");
                    break;
                }
                b.append(String.format(Locale.ROOT, "%s %d&rarr;%d; ", clock(e.t()), e.from(), e.to()));
            }
            b.append("</p>\n");
        }
        b.append("</body></html>\n");
        return b.toString();
    }

    private static String clock(double t) {
        long s = Math.round(t);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
