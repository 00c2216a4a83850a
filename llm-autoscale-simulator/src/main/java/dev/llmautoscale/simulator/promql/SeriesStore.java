package dev.llmautoscale.simulator.promql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The scraped samples, as Prometheus holds them: one series per metric name and label set, samples at scrape times,
 * a staleness marker when a target stops being scraped, and a bounded retention.
 */
public final class SeriesStore {

    /** Prometheus' lookback delta: an instant selector takes the latest sample at most this old. */
    public static final double LOOKBACK_SECONDS = 300;

    private final Map<String, List<Series>> byName = new LinkedHashMap<>();
    private final Map<String, Series> byKey = new LinkedHashMap<>();
    private final double retentionSeconds;

    /** @param retentionSeconds how long samples are kept (at least the longest range queried plus a scrape) */
    public SeriesStore(double retentionSeconds) {
        this.retentionSeconds = Math.max(retentionSeconds, LOOKBACK_SECONDS);
    }

    /**
     * Finds or creates a series; keep the handle and {@link Series#append} to it at every scrape.
     *
     * @param name   the metric name
     * @param labels the labels (not including {@code __name__})
     * @return the series
     */
    public Series series(String name, Map<String, String> labels) {
        TreeMap<String, String> all = new TreeMap<>(labels);
        all.put("__name__", name);
        String key = all.toString();
        Series s = byKey.get(key);
        if (s == null) {
            s = new Series(Collections.unmodifiableSortedMap(all), retentionSeconds);
            byKey.put(key, s);
            byName.computeIfAbsent(name, k -> new ArrayList<>()).add(s);
        }
        return s;
    }

    /**
     * @param name a metric name
     * @return its series (live and stale)
     */
    public List<Series> named(String name) {
        List<Series> l = byName.get(name);
        return l == null ? List.of() : l;
    }

    /** @return every series */
    public Iterable<Series> all() {
        return byKey.values();
    }

    /**
     * Drops series whose newest sample fell out of the retention.
     *
     * @param now the current time
     */
    public void compact(double now) {
        Iterator<Series> it = byKey.values().iterator();
        while (it.hasNext()) {
            Series s = it.next();
            if (s.size() == 0 || s.lastTime() < now - retentionSeconds) {
                it.remove();
                byName.get(s.labels().get("__name__")).remove(s);
            }
        }
    }

    /** One time series: samples in time order in a ring buffer. */
    public static final class Series {
        private final SortedMap<String, String> labels;
        private final double retention;
        private double[] times = new double[16];
        private double[] values = new double[16];
        private int head;
        private int size;
        private double staleAt = Double.POSITIVE_INFINITY;

        Series(SortedMap<String, String> labels, double retention) {
            this.labels = labels;
            this.retention = retention;
        }

        /** @return the labels, {@code __name__} included */
        public SortedMap<String, String> labels() {
            return labels;
        }

        /**
         * Appends a sample (times must not decrease) and forgets what fell out of the retention.
         *
         * @param t     the scrape time
         * @param value the value
         */
        public void append(double t, double value) {
            while (size > 0 && times[head] < t - retention) {
                head = (head + 1) % times.length;
                size--;
            }
            if (size == times.length) {
                double[] nt = new double[size * 2];
                double[] nv = new double[size * 2];
                for (int i = 0; i < size; i++) {
                    nt[i] = times[(head + i) % times.length];
                    nv[i] = values[(head + i) % times.length];
                }
                times = nt;
                values = nv;
                head = 0;
            }
            int idx = (head + size) % times.length;
            times[idx] = t;
            values[idx] = value;
            size++;
            staleAt = Double.POSITIVE_INFINITY;
        }

        /**
         * Marks the series stale from {@code t} on (the target disappeared): instant selectors stop returning it.
         *
         * @param t the time of the staleness marker
         */
        public void markStale(double t) {
            if (staleAt > t) {
                staleAt = t;
            }
        }

        /** @return whether a staleness marker was written */
        public boolean isStale() {
            return staleAt != Double.POSITIVE_INFINITY;
        }

        /** @return samples held */
        public int size() {
            return size;
        }

        /** @return the time of the newest sample */
        public double lastTime() {
            return size == 0 ? Double.NEGATIVE_INFINITY : times[(head + size - 1) % times.length];
        }

        double time(int i) {
            return times[(head + i) % times.length];
        }

        double value(int i) {
            return values[(head + i) % values.length];
        }

        /**
         * @param t evaluation time
         * @return the index of the newest sample at or before t, or -1
         */
        int latestAtOrBefore(double t) {
            for (int i = size - 1; i >= 0; i--) {
                if (time(i) <= t) {
                    return i;
                }
            }
            return -1;
        }

        double staleAt() {
            return staleAt;
        }
    }
}
