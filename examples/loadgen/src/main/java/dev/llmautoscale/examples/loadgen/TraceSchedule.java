package dev.llmautoscale.examples.loadgen;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays a recorded trace: a CSV with one request per line, {@code time_offset_seconds,prompt_tokens,max_tokens}.
 * A header line, blank lines and lines starting with {@code #} are skipped; times must not decrease. A speed factor
 * compresses (2 = twice as fast) or stretches the trace.
 */
public final class TraceSchedule implements Schedule {

    private final List<Arrival> arrivals;
    private int next;

    private TraceSchedule(List<Arrival> arrivals) {
        this.arrivals = arrivals;
    }

    /**
     * Parses a trace.
     *
     * @param in the CSV
     * @param speed the replay speed factor, &gt; 0
     * @return the schedule
     * @throws IOException when reading fails
     * @throws IllegalArgumentException naming the line of a malformed or out-of-order row
     */
    public static TraceSchedule parse(Reader in, double speed) throws IOException {
        if (!(speed > 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("replay speed must be a positive number, got " + speed);
        }
        List<Arrival> list = new ArrayList<>();
        BufferedReader reader = new BufferedReader(in);
        String line;
        int number = 0;
        long previous = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            String[] f = s.split("\\s*,\\s*");
            if (number == 1 && !f[0].isEmpty() && !Character.isDigit(f[0].charAt(0)) && f[0].charAt(0) != '.') {
                continue; // header
            }
            if (f.length != 3) {
                throw new IllegalArgumentException("trace line " + number + ": expected 3 fields"
                        + " (time_offset_seconds,prompt_tokens,max_tokens), got '" + line + "'");
            }
            double seconds;
            int prompt;
            int max;
            try {
                seconds = Double.parseDouble(f[0]);
                prompt = Integer.parseInt(f[1]);
                max = Integer.parseInt(f[2]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("trace line " + number + ": not numbers: '" + line + "'");
            }
            if (!(seconds >= 0) || Double.isInfinite(seconds) || prompt < 1 || max < 1) {
                throw new IllegalArgumentException("trace line " + number + ": need time >= 0 and token counts >= 1,"
                        + " got '" + line + "'");
            }
            long offset = Math.round(seconds / speed * 1e9);
            if (offset < previous) {
                throw new IllegalArgumentException("trace line " + number + ": time " + f[0]
                        + " is earlier than the line before; sort the trace by time");
            }
            previous = offset;
            list.add(new Arrival(offset, prompt, max));
        }
        if (list.isEmpty()) {
            throw new IllegalArgumentException("the trace has no requests");
        }
        return new TraceSchedule(List.copyOf(list));
    }

    /**
     * @return how many requests the trace holds
     */
    public int size() {
        return arrivals.size();
    }

    @Override
    public Arrival next() {
        return next < arrivals.size() ? arrivals.get(next++) : null;
    }
}
