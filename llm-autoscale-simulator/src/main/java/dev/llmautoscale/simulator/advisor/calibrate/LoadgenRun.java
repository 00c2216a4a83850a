package dev.llmautoscale.simulator.advisor.calibrate;

import dev.llmautoscale.simulator.config.ConfigException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A load generator run as its CSV records it ({@code examples/loadgen}, {@code LoadReport.CSV_HEADER}): one row per
 * request.
 *
 * @param file     the CSV
 * @param requests the rows
 */
public record LoadgenRun(String file, List<Row> requests) {

    /**
     * One request.
     *
     * @param scheduledMs      when it was scheduled, from the start of the run
     * @param outcome          OK, TOO_MANY_REQUESTS, UNAVAILABLE, ...
     * @param ttftMs           time to first token (NaN when not streamed or failed)
     * @param e2eMs            end-to-end latency
     * @param promptTokens     prompt tokens the server reported (else the requested ones)
     * @param completionTokens output tokens the server reported
     * @param inFlightAtSend   requests in flight when it was sent
     */
    public record Row(double scheduledMs, String outcome, double ttftMs, double e2eMs, long promptTokens,
                      long completionTokens, int inFlightAtSend) {
    }

    private static final List<String> NEEDED = List.of("scheduled_ms", "outcome", "ttft_ms", "e2e_ms",
            "prompt_tokens", "usage_prompt_tokens", "usage_completion_tokens", "in_flight_at_send");

    /**
     * @param file the CSV
     * @return the run
     */
    public static LoadgenRun read(Path file) {
        String name = file.toString();
        List<Row> rows = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = r.readLine();
            if (header == null) {
                throw new ConfigException(name, "line 1", "empty; expected the load generator's CSV header");
            }
            List<String> cols = Arrays.asList(header.split(","));
            int[] idx = new int[NEEDED.size()];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = cols.indexOf(NEEDED.get(i));
                if (idx[i] < 0) {
                    throw new ConfigException(name, "line 1", "column " + NEEDED.get(i) + " is missing; expected"
                            + " the load generator's CSV (examples/loadgen --csv)");
                }
            }
            String line;
            int n = 1;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",", -1);
                try {
                    long usagePrompt = Long.parseLong(f[idx[5]]);
                    rows.add(new Row(Double.parseDouble(f[idx[0]]), f[idx[1]],
                            f[idx[2]].isEmpty() ? Double.NaN : Double.parseDouble(f[idx[2]]),
                            Double.parseDouble(f[idx[3]]), usagePrompt > 0 ? usagePrompt : Long.parseLong(f[idx[4]]),
                            Long.parseLong(f[idx[6]]), Integer.parseInt(f[idx[7]])));
                } catch (RuntimeException e) {
                    throw new ConfigException(name, "line " + n, "malformed row (" + e.getMessage() + "); expected"
                            + " the load generator's CSV");
                }
            }
        } catch (NoSuchFileException e) {
            throw new ConfigException(name, "(file)", "no such file");
        } catch (IOException e) {
            throw new ConfigException(name, "(file)", "cannot be read: " + e.getMessage());
        }
        return new LoadgenRun(name, List.copyOf(rows));
    }

    /** @return the successful requests */
    public List<Row> ok() {
        return requests.stream().filter(x -> x.outcome().equals("OK")).toList();
    }

    /** @return requests refused with 429 */
    public long rejected() {
        return requests.stream().filter(x -> x.outcome().equals("TOO_MANY_REQUESTS")).count();
    }

    /**
     * @param p a percentile, 0 to 100
     * @return the end-to-end latency percentile of the successful requests (nearest rank), ms
     */
    public double e2ePercentile(double p) {
        double[] v = ok().stream().mapToDouble(Row::e2eMs).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100 * v.length);
        return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
    }
}
