package dev.llmautoscale.simulator.report;

import dev.llmautoscale.simulator.sim.SimulationResult;
import dev.llmautoscale.simulator.sim.StepLog;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The PNG chart (JFreeChart, headless): three stacked panels over simulated minutes — offered load (requests/s),
 * replicas (desired, ready, loading, pending), fleet queue depth. Several runs are overlaid, one colour per run.
 */
public final class Charts {

    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b)};
    private static final int MAX_POINTS = 1500;

    private Charts() {
    }

    /**
     * @param results one or more runs on the same workload
     * @param title   the chart title
     * @return PNG bytes, 1200 × 900
     */
    public static byte[] png(List<SimulationResult> results, String title) {
        System.setProperty("java.awt.headless", "true");
        NumberAxis time = new NumberAxis("simulated time (minutes)");
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(time);
        plot.setGap(8);
        XYSeriesCollection load = new XYSeriesCollection();
        XYSeriesCollection replicas = new XYSeriesCollection();
        XYSeriesCollection queue = new XYSeriesCollection();
        XYStepRenderer replicaRenderer = new XYStepRenderer();
        XYLineAndShapeRenderer loadRenderer = new XYLineAndShapeRenderer(true, false);
        XYLineAndShapeRenderer queueRenderer = new XYLineAndShapeRenderer(true, false);
        boolean several = results.size() > 1;
        for (int k = 0; k < results.size(); k++) {
            SimulationResult r = results.get(k);
            String prefix = several ? r.label() + ": " : "";
            Color c = COLORS[k % COLORS.length];
            if (k == 0) {
                load.addSeries(series(r.steps(), "offered", "offered load (req/s)", true));
                loadRenderer.setSeriesPaint(0, Color.DARK_GRAY);
            }
            int base = replicas.getSeriesCount();
            replicas.addSeries(series(r.steps(), "desired", prefix + "desired", false));
            replicas.addSeries(series(r.steps(), "ready", prefix + "ready", false));
            replicas.addSeries(series(r.steps(), "loading", prefix + "loading", false));
            replicas.addSeries(series(r.steps(), "pending", prefix + "pending", false));
            replicaRenderer.setSeriesPaint(base, c);
            replicaRenderer.setSeriesStroke(base, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                    1, new float[] {6, 4}, 0));
            replicaRenderer.setSeriesPaint(base + 1, c);
            replicaRenderer.setSeriesStroke(base + 1, new BasicStroke(2.5f));
            replicaRenderer.setSeriesPaint(base + 2, c.brighter());
            replicaRenderer.setSeriesStroke(base + 2, new BasicStroke(1f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 1, new float[] {2, 3}, 0));
            replicaRenderer.setSeriesPaint(base + 3, c.darker());
            replicaRenderer.setSeriesStroke(base + 3, new BasicStroke(1f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 1, new float[] {1, 2}, 0));
            queue.addSeries(series(r.steps(), "queue_depth", prefix + "queue depth", false));
            queueRenderer.setSeriesPaint(k, c);
        }
        plot.add(new XYPlot(load, null, new NumberAxis("req/s"), loadRenderer), 2);
        plot.add(new XYPlot(replicas, null, integerAxis("replicas"), replicaRenderer), 3);
        plot.add(new XYPlot(queue, null, integerAxis("queued requests"), queueRenderer), 2);
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.addSubtitle(new TextTitle(results.get(0).workload(), new Font(Font.SANS_SERIF, Font.PLAIN, 11)));
        chart.setAntiAlias(true);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ChartUtils.writeChartAsPNG(out, chart, 1200, 900);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static NumberAxis integerAxis(String label) {
        NumberAxis a = new NumberAxis(label);
        a.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        return a;
    }

    /** A column as an XY series, at most MAX_POINTS points (bucket maxima, or means for the load). */
    private static XYSeries series(StepLog log, String column, String name, boolean rate) {
        XYSeries s = new XYSeries(name, false, true);
        int n = log.size();
        int bucket = Math.max(1, (int) Math.ceil((double) n / MAX_POINTS));
        double dt = n > 1 ? log.time(1) - log.time(0) : 1;
        for (int i = 0; i < n; i += bucket) {
            int end = Math.min(n, i + bucket);
            double v = rate ? 0 : Double.NEGATIVE_INFINITY;
            for (int j = i; j < end; j++) {
                int x = log.value(column, j);
                v = rate ? v + x : Math.max(v, x);
            }
            if (rate) {
                v = v / ((end - i) * dt);
            }
            s.add(log.time(end - 1) / 60.0, v);
        }
        return s;
    }
}
