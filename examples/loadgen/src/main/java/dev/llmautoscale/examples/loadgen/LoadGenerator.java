package dev.llmautoscale.examples.loadgen;

import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends the arrivals of a {@link Schedule} to an OpenAI-compatible server, open loop: each request leaves at its
 * planned time whatever happened to the earlier ones (as independent users behave), so overload shows up as queueing
 * and 429s rather than as a slower client.
 */
public final class LoadGenerator {

    private static final Pattern PROMPT_TOKENS = Pattern.compile("\"prompt_tokens\"\\s*:\\s*(\\d+)");
    private static final Pattern COMPLETION_TOKENS = Pattern.compile("\"completion_tokens\"\\s*:\\s*(\\d+)");
    private static final int MAX_BODY_CHARS = 64 * 1024;

    private final LoadConfig config;
    private final PrintStream progress;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong sent = new AtomicLong();
    private final long[] outcomes = new long[Outcome.values().length];
    private final ConcurrentLinkedQueue<RequestResult> results = new ConcurrentLinkedQueue<>();
    private long startNanos;

    /**
     * @param config where and how to send
     * @param progress where the once-per-second progress line goes ({@code System.err}), or {@code null} for none
     */
    public LoadGenerator(LoadConfig config, PrintStream progress) {
        this.config = Objects.requireNonNull(config, "config");
        this.progress = progress;
    }

    /**
     * Runs the schedule to its end, then waits for the outstanding requests (each bounded by the request timeout).
     *
     * @param schedule the arrivals (bound it with {@link Schedule#bounded})
     * @return every request's result
     * @throws InterruptedException when interrupted; outstanding requests are abandoned
     */
    public LoadReport run(Schedule schedule) throws InterruptedException {
        ExecutorService pool = Executors.newCachedThreadPool(daemon("loadgen-http"));
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("loadgen-timer"));
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(pool)
                .build();
        startNanos = System.nanoTime();
        ScheduledFuture<?> ticker = progress == null ? null
                : timer.scheduleAtFixedRate(this::printProgress, 1, 1, TimeUnit.SECONDS);
        try {
            long id = 0;
            Arrival a;
            while ((a = schedule.next()) != null) {
                long due = startNanos + a.offsetNanos();
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                }
                send(client, timer, ++id, a);
            }
            long deadline = System.nanoTime() + config.requestTimeout().toNanos() + TimeUnit.SECONDS.toNanos(5);
            while (inFlight.get() > 0 && System.nanoTime() - deadline < 0) {
                Thread.sleep(10);
            }
        } finally {
            if (ticker != null) {
                ticker.cancel(false);
                printProgress();
                if (progress != null) {
                    progress.println();
                }
            }
            timer.shutdownNow();
            pool.shutdownNow();
        }
        List<RequestResult> list = new ArrayList<>(results);
        list.sort(Comparator.comparingLong(RequestResult::id));
        return new LoadReport(list, System.nanoTime() - startNanos);
    }

    private void send(HttpClient client, ScheduledExecutorService timer, long id, Arrival a) {
        long now = System.nanoTime();
        int others = inFlight.get();
        if (others >= config.maxInFlight()) {
            record(new RequestResult(id, a.offsetNanos(), now - startNanos, 0, Double.NaN, 0, a.promptTokens(),
                    a.maxTokens(), -1, -1, 0, others, null, Outcome.DROPPED,
                    "not sent: " + others + " requests outstanding (--max-in-flight " + config.maxInFlight() + ")"),
                    false);
            return;
        }
        inFlight.incrementAndGet();
        sent.incrementAndGet();
        Exchange x = new Exchange(id, a, now, others);
        HttpRequest request = HttpRequest.newBuilder(config.endpoint())
                .timeout(config.requestTimeout())
                .header("Content-Type", "application/json")
                .header("Accept", config.stream() ? "text/event-stream" : "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(a), StandardCharsets.UTF_8))
                .build();
        x.watchdog = timer.schedule(x::timeout, config.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
        client.sendAsync(request, x::handle).whenComplete((response, failure) -> {
            if (failure != null) {
                x.fail(describe(failure));
            } else {
                x.complete();
            }
        });
    }

    /**
     * Builds the request body: a prompt of exactly {@code 4 * promptTokens} characters (the simulated engine counts
     * one token per four characters).
     *
     * @param a the arrival
     * @return the JSON body
     */
    String body(Arrival a) {
        StringBuilder prompt = new StringBuilder(a.promptTokens() * 4);
        for (int i = 0; i < a.promptTokens(); i++) {
            prompt.append("tok ");
        }
        StringBuilder b = new StringBuilder(prompt.length() + 200).append('{');
        if (config.model() != null) {
            b.append("\"model\":").append(quote(config.model())).append(',');
        }
        if (config.api() == Api.CHAT) {
            b.append("\"messages\":[{\"role\":\"user\",\"content\":\"").append(prompt).append("\"}],");
        } else {
            b.append("\"prompt\":\"").append(prompt).append("\",");
        }
        b.append("\"max_tokens\":").append(a.maxTokens());
        if (config.stream()) {
            b.append(",\"stream\":true,\"stream_options\":{\"include_usage\":true}");
        }
        return b.append('}').toString();
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private static String describe(Throwable t) {
        Throwable c = t;
        while (c instanceof CompletionException && c.getCause() != null) {
            c = c.getCause();
        }
        String m = c.getMessage();
        return c.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private void record(RequestResult r, boolean wasInFlight) {
        results.add(r);
        synchronized (outcomes) {
            outcomes[r.outcome().ordinal()]++;
        }
        if (wasInFlight) {
            inFlight.decrementAndGet();
        }
    }

    private void printProgress() {
        if (progress == null) {
            return;
        }
        long[] o;
        synchronized (outcomes) {
            o = outcomes.clone();
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        progress.printf(Locale.ROOT, "[%6.1fs] sent %d | in flight %d | 200: %d  429: %d  503: %d  other: %d"
                        + "  errors: %d  dropped: %d%n",
                seconds, sent.get(), inFlight.get(), o[Outcome.OK.ordinal()],
                o[Outcome.TOO_MANY_REQUESTS.ordinal()], o[Outcome.UNAVAILABLE.ordinal()],
                o[Outcome.OTHER_STATUS.ordinal()], o[Outcome.ERROR.ordinal()], o[Outcome.DROPPED.ordinal()]);
        progress.flush();
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** One request in flight: reads its response line by line and records its result exactly once. */
    private final class Exchange implements Flow.Subscriber<String> {
        final long id;
        final Arrival arrival;
        final long sentAt;
        final int others;
        final AtomicBoolean done = new AtomicBoolean();
        volatile ScheduledFuture<?> watchdog;
        volatile Flow.Subscription subscription;
        volatile int status;
        volatile String retryAfter;
        volatile boolean eventStream;
        volatile long firstTokenAt;
        volatile boolean sawDone;
        volatile String streamError;
        volatile long usagePrompt = -1;
        volatile long usageCompletion = -1;
        volatile int chunks;
        final StringBuilder body = new StringBuilder();

        Exchange(long id, Arrival arrival, long sentAt, int others) {
            this.id = id;
            this.arrival = arrival;
            this.sentAt = sentAt;
            this.others = others;
        }

        HttpResponse.BodySubscriber<Void> handle(HttpResponse.ResponseInfo info) {
            status = info.statusCode();
            retryAfter = info.headers().firstValue("Retry-After").orElse(null);
            eventStream = info.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream");
            return HttpResponse.BodySubscribers.fromLineSubscriber(this, s -> null, StandardCharsets.UTF_8, null);
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (!eventStream) {
                if (body.length() < MAX_BODY_CHARS) {
                    body.append(line).append('\n');
                }
                return;
            }
            if (!line.startsWith("data:")) {
                return;
            }
            String data = line.substring(5).trim();
            if (data.equals("[DONE]")) {
                sawDone = true;
                return;
            }
            chunks++;
            if (data.contains("\"error\"")) {
                streamError = data.length() > 300 ? data.substring(0, 300) : data;
                return;
            }
            if (firstTokenAt == 0 && hasToken(data)) {
                firstTokenAt = System.nanoTime();
            }
            if (data.contains("\"usage\"")) {
                usage(data);
            }
        }

        private boolean hasToken(String data) {
            // A chunk with non-empty "text" or delta "content" carries a token; the final and usage chunks do not.
            return !(data.contains("\"text\":\"\"") || data.contains("\"choices\":[]")
                    || (data.contains("\"delta\"") && !data.contains("\"content\"")));
        }

        private void usage(String data) {
            Matcher p = PROMPT_TOKENS.matcher(data);
            if (p.find()) {
                usagePrompt = Long.parseLong(p.group(1));
            }
            Matcher c = COMPLETION_TOKENS.matcher(data);
            if (c.find()) {
                usageCompletion = Long.parseLong(c.group(1));
            }
        }

        @Override
        public void onError(Throwable t) {
            // reported through the response future
        }

        @Override
        public void onComplete() {
            // reported through the response future
        }

        void complete() {
            long end = System.nanoTime();
            int s = status;
            Outcome outcome;
            String error = null;
            if (s == 200) {
                if (eventStream) {
                    if (streamError != null) {
                        outcome = Outcome.ERROR;
                        error = "error event in the stream: " + streamError;
                    } else if (!sawDone) {
                        outcome = Outcome.ERROR;
                        error = "the stream ended without data: [DONE]";
                    } else {
                        outcome = Outcome.OK;
                    }
                } else {
                    usage(body.toString());
                    outcome = body.indexOf("\"choices\"") >= 0 ? Outcome.OK : Outcome.ERROR;
                    if (outcome == Outcome.ERROR) {
                        error = "200 without choices: " + abbreviate(body);
                    }
                }
            } else {
                outcome = s == 429 ? Outcome.TOO_MANY_REQUESTS
                        : s == 503 ? Outcome.UNAVAILABLE : Outcome.OTHER_STATUS;
                error = "HTTP " + s + ": " + abbreviate(body);
            }
            finish(end, outcome, error);
        }

        void fail(String why) {
            finish(System.nanoTime(), Outcome.ERROR, why);
        }

        void timeout() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            finish(System.nanoTime(), Outcome.ERROR, "timed out after " + config.requestTimeout().toMillis() + " ms");
        }

        private void finish(long end, Outcome outcome, String error) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            ScheduledFuture<?> w = watchdog;
            if (w != null) {
                w.cancel(false);
            }
            long first = firstTokenAt;
            double ttft = first == 0 ? Double.NaN : (first - sentAt) / 1e6;
            record(new RequestResult(id, arrival.offsetNanos(), sentAt - startNanos, status, ttft,
                    (end - sentAt) / 1e6, arrival.promptTokens(), arrival.maxTokens(), usagePrompt, usageCompletion,
                    chunks, others, retryAfter, outcome, error), true);
        }
    }

    private static String abbreviate(CharSequence s) {
        String t = s.toString().strip().replace('\n', ' ');
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }
}
