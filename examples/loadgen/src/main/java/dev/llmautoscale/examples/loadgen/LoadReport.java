package dev.llmautoscale.examples.loadgen;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The results of a run: every request, counts by outcome, latency percentiles, and the CSV writer.
 *
 * @param results every request, in schedule order
 * @param wallNanos how long the run took, outstanding requests included
 */
public record LoadReport(List<RequestResult> results, long wallNanos) {

    /** The CSV header, one column per {@link RequestResult} field. */
    public static final String CSV_HEADER = "id,scheduled_ms,sent_ms,status,outcome,ttft_ms,e2e_ms,prompt_tokens,"
            + "max_tokens,usage_prompt_tokens,usage_completion_tokens,chunks,in_flight_at_send,retry_after,error";

    /** Copies the list. */
    public LoadReport {
        results = List.copyOf(results);
    }

    /**
     * @param outcome an outcome
     * @return how many requests ended so
     */
    public long count(Outcome outcome) {
        return results.stream().filter(r -> r.outcome() == outcome).count();
    }

    /**
     * @return requests actually sent (all but {@link Outcome#DROPPED})
     */
    public long sent() {
        return results.size() - count(Outcome.DROPPED);
    }

    /**
     * @return time-to-first-token percentiles (ms) of the successful streamed requests
     */
    public Percentiles ttft() {
        return percentiles(RequestResult::ttftMillis);
    }

    /**
     * @return end-to-end latency percentiles (ms) of the successful requests
     */
    public Percentiles e2e() {
        return percentiles(RequestResult::e2eMillis);
    }

    private Percentiles percentiles(ToDoubleFunction<RequestResult> f) {
        return new Percentiles(results.stream().filter(r -> r.outcome() == Outcome.OK).mapToDouble(f).toArray());
    }

    /**
     * @return output tokens the server reported for the successful requests ({@code usage.completion_tokens})
     */
    public long completionTokens() {
        return results.stream().filter(r -> r.outcome() == Outcome.OK && r.usageCompletionTokens() > 0)
                .mapToLong(RequestResult::usageCompletionTokens).sum();
    }

    /**
     * @return prompt tokens the server reported for the successful requests ({@code usage.prompt_tokens})
     */
    public long promptTokens() {
        return results.stream().filter(r -> r.outcome() == Outcome.OK && r.usagePromptTokens() > 0)
                .mapToLong(RequestResult::usagePromptTokens).sum();
    }

    /**
     * @return the human-readable summary printed at the end of a run
     */
    public String summary() {
        double seconds = wallNanos / 1e9;
        Percentiles t = ttft();
        Percentiles e = e2e();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "sent %d requests in %.1f s (%.2f/s)%n", sent(), seconds,
                sent() / Math.max(seconds, 1e-9)));
        b.append(String.format(Locale.ROOT, "  200: %d   429: %d   503: %d   other status: %d   errors: %d"
                        + "   dropped: %d%n",
                count(Outcome.OK), count(Outcome.TOO_MANY_REQUESTS), count(Outcome.UNAVAILABLE),
                count(Outcome.OTHER_STATUS), count(Outcome.ERROR), count(Outcome.DROPPED)));
        b.append(String.format(Locale.ROOT, "  TTFT ms  p50 %s  p95 %s  p99 %s  (%d streamed successes)%n",
                ms(t.percentile(50)), ms(t.percentile(95)), ms(t.percentile(99)), t.count()));
        b.append(String.format(Locale.ROOT, "  E2E  ms  p50 %s  p95 %s  p99 %s  (%d successes)%n",
                ms(e.percentile(50)), ms(e.percentile(95)), ms(e.percentile(99)), e.count()));
        b.append(String.format(Locale.ROOT, "  tokens   prompt %d  completion %d  (%.1f completion tokens/s)%n",
                promptTokens(), completionTokens(), completionTokens() / Math.max(seconds, 1e-9)));
        return b.toString();
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v);
    }

    /**
     * Writes one CSV row per request, with {@link #CSV_HEADER}.
     *
     * @param path the file (replaced)
     * @throws IOException when writing fails
     */
    public void writeCsv(Path path) throws IOException {
        try (Writer w = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
            w.write(CSV_HEADER);
            w.write('\n');
            for (RequestResult r : results) {
                w.write(String.format(Locale.ROOT, "%d,%.3f,%.3f,%d,%s,%s,%.3f,%d,%d,%d,%d,%d,%d,%s,%s%n",
                        r.id(), r.scheduledNanos() / 1e6, r.sentNanos() / 1e6, r.status(), r.outcome(),
                        Double.isNaN(r.ttftMillis()) ? "" : String.format(Locale.ROOT, "%.3f", r.ttftMillis()),
                        r.e2eMillis(), r.promptTokens(), r.maxTokens(), r.usagePromptTokens(),
                        r.usageCompletionTokens(), r.chunks(), r.inFlightAtSend(),
                        r.retryAfter() == null ? "" : csv(r.retryAfter()), r.error() == null ? "" : csv(r.error())));
            }
        }
    }

    private static String csv(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"").replace('\n', ' ') + '"';
    }
}
