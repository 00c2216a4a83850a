package dev.llmautoscale.examples.queue;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.admission.AdmissionRejectedException;
import dev.llmautoscale.examples.engine.EngineException;
import dev.llmautoscale.examples.engine.Generation;
import dev.llmautoscale.examples.engine.SimulatedEngine;
import dev.llmautoscale.examples.engine.SimulatedText;
import dev.llmautoscale.examples.openai.PromptTokens;
import dev.llmautoscale.lifecycle.LifecycleState;
import dev.llmautoscale.tracking.InferenceSpan;
import io.lettuce.core.RedisException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Takes jobs from the queue and runs them, never losing one and never completing one twice.
 *
 * <ul>
 *   <li>A taker thread moves a job into this worker's processing list with {@code BLMOVE} only while a slot is free
 *       ({@code MAX_CONCURRENT_REQUESTS} jobs in hand at most) and only while the worker is ready (the model is
 *       loaded, no GPU lost, Redis reachable); each job runs on its own thread, through {@code tracker().start(model)}, so the library's metrics,
 *       readiness and drain see it like an HTTP request.</li>
 *   <li>A job leaves the processing list in the script that stores its result, dead-letters it or gives it back
 *       ({@link JobQueue}). A job that cannot succeed (not JSON, unknown model, too large) is dead-lettered at once
 *       with its error; one that fails in the engine goes to the back of the queue and is dead-lettered after
 *       {@code MAX_ATTEMPTS} takes (crashes included: deliveries are counted in Redis right after the take, so a
 *       worker killed between its {@code BLMOVE} and that count leaves one take uncounted).</li>
 *   <li>A heartbeat renews this worker's lease, reads the queue length, puts back the processing lists of workers whose
 *       lease expired (a SIGKILL, a lost node) and gives back any job in this worker's own list that no thread holds
 *       (a {@code BLMOVE} whose reply was lost when Redis went away).</li>
 *   <li>While Redis is unreachable every step retries (Lettuce reconnects) and readiness reports it.</li>
 *   <li>SIGTERM: the lifecycle drains — the taker stops at once, jobs in hand finish within
 *       {@code DRAIN_TIMEOUT_SECONDS}; jobs taken but not started, and those still running at the deadline, are
 *       given back to the front of the queue.</li>
 * </ul>
 */
public final class QueueWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(QueueWorker.class);
    private static final long TOKEN_TIMEOUT_SECONDS = 30;
    private static final Duration TAKE_WAIT = Duration.ofSeconds(1);

    private final WorkerSettings settings;
    private final LlmAutoscale autoscale;
    private final SimulatedEngine engine;
    private final JobQueue queue;
    private final WorkerMetrics metrics;
    private final Semaphore slots;
    private final ExecutorService runners;
    private final ScheduledExecutorService heartbeat;
    private final Thread taker;
    private final Map<InHand, Boolean> inHand = new ConcurrentHashMap<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile boolean stopping;
    private volatile long drainDeadlineNanos = Long.MAX_VALUE;
    private volatile String redisProblem = "not connected yet";
    private volatile long redisDownSinceMillis = System.currentTimeMillis();
    private Set<String> orphanCandidates = Set.of();

    /** A job in hand: settled exactly once (completed, dead-lettered or given back). */
    private static final class InHand {
        final String raw;
        final AtomicBoolean settled = new AtomicBoolean();

        InHand(String raw) {
            this.raw = raw;
        }
    }

    QueueWorker(WorkerSettings settings, LlmAutoscale autoscale, SimulatedEngine engine, JobQueue queue,
            WorkerMetrics metrics) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.autoscale = Objects.requireNonNull(autoscale, "autoscale");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        int n = settings.server().maxConcurrentRequests();
        this.slots = new Semaphore(n);
        AtomicInteger ids = new AtomicInteger();
        this.runners = Executors.newFixedThreadPool(n, r -> daemon(r, "job-" + ids.incrementAndGet()));
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "heartbeat"));
        this.taker = daemon(this::takeLoop, "taker");
        autoscale.lifecycle().addReadinessCheck("redis", this::redisHealth);
        autoscale.lifecycle().addListener((from, to) -> {
            if (to == LifecycleState.READY && started.compareAndSet(false, true)) {
                log.info("Taking jobs from {} at {} as worker {} ({} at once)", settings.queue(),
                        settings.redisAddress(), settings.workerId(), n);
                taker.start();
            } else if (to == LifecycleState.DRAINING || to == LifecycleState.STOPPED) {
                stopTaking(settings.server().drainTimeout());
            }
        });
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, "worker-" + name);
        t.setDaemon(true);
        return t;
    }

    /** Starts the heartbeat (lease, queue length, recovery of dead workers); the taker starts once ready. */
    void start() {
        long tick = Math.max(100, Math.min(1000, settings.lease().toMillis() / 3));
        heartbeat.scheduleWithFixedDelay(this::beat, 0, tick, TimeUnit.MILLISECONDS);
    }

    private void beat() {
        try {
            metrics.listLength.set(queue.heartbeat(settings.lease()));
            long recovered = queue.recoverDeadWorkers();
            if (recovered > 0) {
                metrics.recovered.increment(recovered);
                log.warn("Recovered {} jobs from the processing lists of dead workers", recovered);
            }
            giveBackOrphans();
            redisUp();
        } catch (RedisException e) {
            redisDown(e);
        } catch (RuntimeException e) {
            log.warn("Heartbeat failed", e);
        }
    }

    /** Gives back jobs in this worker's list that no thread holds, seen so on two heartbeats in a row. */
    private void giveBackOrphans() {
        List<String> listed = queue.processingList();
        Map<String, Integer> held = new HashMap<>();
        for (InHand h : inHand.keySet()) {
            held.merge(h.raw, 1, Integer::sum);
        }
        Set<String> orphans = new HashSet<>();
        for (String raw : listed) {
            Integer n = held.get(raw);
            if (n == null || n == 0) {
                orphans.add(raw);
            } else {
                held.put(raw, n - 1);
            }
        }
        Set<String> previous = orphanCandidates;
        for (String raw : orphans) {
            if (previous.contains(raw) && queue.giveBack(raw, null, true)) {
                metrics.returned.increment();
                log.warn("Gave back a job no thread held (a take whose reply was lost): {}", Job.abbreviate(raw));
            }
        }
        orphanCandidates = orphans;
    }

    private Optional<String> redisHealth() {
        String problem = redisProblem;
        if (problem == null && !queue.connected()) {
            problem = "disconnected";
        }
        if (problem == null) {
            return Optional.empty();
        }
        return Optional.of("Redis at " + settings.redisAddress() + " unreachable for "
                + (System.currentTimeMillis() - redisDownSinceMillis) / 1000 + " s: " + problem);
    }

    private void redisUp() {
        if (redisProblem != null) {
            if (metrics.redisUp.get() == 0 && started.get()) {
                log.info("Redis at {} reachable again", settings.redisAddress());
            }
            redisProblem = null;
        }
        metrics.redisUp.set(1);
    }

    private void redisDown(RuntimeException e) {
        if (redisProblem == null) {
            redisDownSinceMillis = System.currentTimeMillis();
            log.warn("Redis at {} unreachable: {}", settings.redisAddress(), e.toString());
        }
        redisProblem = String.valueOf(e.getMessage());
        metrics.redisUp.set(0);
    }

    private void takeLoop() {
        long backoff = 100;
        while (!stopping) {
            // Readiness gates taking, as it gates traffic to a server: no job is taken while a readiness check fails
            // (a lost GPU, Redis unreachable). The Redis check clears at the next successful heartbeat.
            if (!autoscale.lifecycle().readiness().ok()) {
                if (!pause(100)) {
                    break;
                }
                continue;
            }
            try {
                if (!slots.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                break;
            }
            String raw;
            try {
                raw = queue.take(TAKE_WAIT);
                backoff = 100;
                redisUp();
            } catch (RedisException e) {
                slots.release();
                redisDown(e);
                if (!pause(backoff)) {
                    break;
                }
                backoff = Math.min(1000, backoff * 2);
                continue;
            }
            if (raw == null) {
                slots.release();
                continue;
            }
            metrics.taken.increment();
            InHand h = new InHand(raw);
            inHand.put(h, Boolean.TRUE);
            metrics.inHand.incrementAndGet();
            Runnable work;
            try {
                work = stopping ? null : prepare(h);
            } catch (RedisException e) {
                // Redis stayed away past the drain deadline: the job stays in the processing list for recovery.
                h.settled.set(true);
                work = null;
            } catch (RuntimeException e) {
                log.error("Preparing a job failed unexpectedly; giving it back", e);
                work = null;
            }
            if (work == null) {
                release(h);
            } else {
                runners.execute(work);
            }
        }
        log.info("Stopped taking jobs");
    }

    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * On the taker thread, right after the take: settles at once a job that cannot or need not run (malformed, unknown
     * model, too many deliveries, a result already stored) and starts the inference span of the others, so that from
     * the take on the library counts the job in flight and a drain waits for it. Refused by admission (a drain began):
     * given back, to be taken next by another worker.
     *
     * @return the run, for a runner thread; {@code null} when the job is settled
     */
    private Runnable prepare(InHand h) {
        Job job;
        try {
            job = Job.parse(h.raw, settings.maxJobBytes());
        } catch (JobException e) {
            deadLetter(h, Job.idOf(h.raw), e, 0);
            return null;
        }
        String model = job.model() == null ? settings.server().models().get(0) : job.model();
        if (!engine.serves(model)) {
            deadLetter(h, job.id(), new JobException(JobException.Reason.UNKNOWN_MODEL, "model '" + model
                    + "' is not served by this worker; it serves " + engine.models() + " (MODEL_NAME)"), 0);
            return null;
        }
        int promptTokens = PromptTokens.count(job.prompt());
        int context = engine.config().maxModelLength();
        if ((long) promptTokens + job.maxTokens() > context) {
            deadLetter(h, job.id(), new JobException(JobException.Reason.TOO_LARGE, "this model's maximum context "
                    + "length is " + context + " tokens, but the job has " + promptTokens + " prompt tokens and asks"
                    + " for " + job.maxTokens() + " output tokens (MAX_MODEL_LEN)"), 0);
            return null;
        }
        long deliveries = redis(() -> queue.delivered(job.id()));
        if (deliveries > settings.maxAttempts()) {
            deadLetter(h, job.id(), new JobException(JobException.Reason.ATTEMPTS_EXHAUSTED, "taken " + deliveries
                    + " times without completing (MAX_ATTEMPTS " + settings.maxAttempts()
                    + "): a worker died while running it, or the engine failed each time"), deliveries);
            return null;
        }
        if (redis(() -> queue.hasResult(job.id()))) {
            settle(h, () -> redis(() -> {
                queue.acknowledge(h.raw);
                return null;
            }));
            metrics.duplicate.increment();
            return null;
        }
        InferenceSpan span;
        try {
            span = autoscale.tracker().start(model);
        } catch (AdmissionRejectedException | CancellationException e) {
            settle(h, () -> giveBack(h, job.id(), true));
            return null;
        }
        metrics.age(job.enqueuedAtMillis());
        return () -> run(h, job, model, promptTokens, span, deliveries);
    }

    /** Settles (gives back) a job nobody settled, forgets it and frees its slot. */
    private void release(InHand h) {
        try {
            settle(h, () -> giveBack(h, null, true));
        } catch (RedisException e) {
            log.warn("Could not give a job back ({}); it stays in this worker's processing list", e.toString());
        }
        inHand.remove(h);
        metrics.inHand.decrementAndGet();
        slots.release();
    }

    /** Runs one job on a runner thread; always settles it and frees its slot. */
    private void run(InHand h, Job job, String model, int promptTokens, InferenceSpan span, long deliveries) {
        try {
            execute(h, job, model, promptTokens, span, deliveries);
        } catch (InterruptedException e) {
            // cut short by the end of the drain: given back by release
            Thread.interrupted();
        } catch (RedisException e) {
            // Redis stayed away past the drain deadline: the job stays in this worker's processing list, and other
            // workers put it back once this worker's lease expires.
            log.warn("Leaving job {} for recovery: {}", job.id(), e.toString());
            h.settled.set(true);
        } catch (RuntimeException e) {
            log.error("Job {} failed unexpectedly; giving it back", job.id(), e);
        } finally {
            // The span was closed by execute (its first statement is the try-with-resources): closing it again here
            // could end the next job's inference, because the taker thread reuses a closed span.
            release(h);
        }
    }

    private void execute(InHand h, Job job, String model, int promptTokens, InferenceSpan span, long deliveries)
            throws InterruptedException {
        StringBuilder text = new StringBuilder(job.maxTokens() * 8);
        int produced = 0;
        try (span) {
            Generation g;
            try {
                g = engine.submit(model, promptTokens, job.maxTokens());
            } catch (IllegalArgumentException e) {
                span.failure(e);
                deadLetter(h, job.id(), new JobException(JobException.Reason.TOO_LARGE, e.getMessage()),
                        deliveries);
                return;
            } catch (IllegalStateException e) {
                span.failure(e);
                failedAttempt(h, job, deliveries, e);
                return;
            }
            span.promptTokens(promptTokens);
            try {
                int n;
                while ((n = g.await(TOKEN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) >= 0) {
                    span.tokens(n);
                    SimulatedText.append(text, produced, n);
                    produced += n;
                }
            } catch (InterruptedException e) {
                g.cancel();
                span.cancel();
                throw e;
            } catch (TimeoutException | EngineException | CancellationException e) {
                g.cancel();
                span.failure(e);
                failedAttempt(h, job, deliveries, e);
                return;
            }
            span.success();
        }
        String result = result(job, model, promptTokens, produced, text, deliveries);
        settle(h, () -> {
            if (redis(() -> queue.complete(h.raw, job, result, settings.resultTtl()))) {
                metrics.completed.increment();
            } else {
                metrics.duplicate.increment();
            }
        });
    }

    private String result(Job job, String model, int promptTokens, int produced, CharSequence text,
            long deliveries) {
        ObjectNode o = Job.json().createObjectNode();
        o.put("id", job.id());
        o.put("model", model);
        o.put("text", text.toString());
        o.put("prompt_tokens", promptTokens);
        o.put("completion_tokens", produced);
        o.put("worker", settings.workerId());
        o.put("attempt", deliveries);
        o.put("finished_at", Instant.now().toString());
        return o.toString();
    }

    private void failedAttempt(InHand h, Job job, long deliveries, Exception e) {
        metrics.failed.increment();
        if (deliveries >= settings.maxAttempts()) {
            deadLetter(h, job.id(), new JobException(JobException.Reason.ATTEMPTS_EXHAUSTED, "attempt " + deliveries
                    + " of " + settings.maxAttempts() + " failed: " + e.getMessage()), deliveries);
        } else {
            log.warn("Job {} attempt {} of {} failed, back in the queue: {}", job.id(), deliveries,
                    settings.maxAttempts(), e.toString());
            settle(h, () -> giveBack(h, job.id(), false));
        }
    }

    private void deadLetter(InHand h, String jobId, JobException e, long deliveries) {
        ObjectNode o = Job.json().createObjectNode();
        if (jobId != null) {
            o.put("id", jobId);
        }
        o.put("reason", e.reason().label());
        o.put("error", e.getMessage());
        o.put("worker", settings.workerId());
        o.put("attempts", deliveries);
        o.put("failed_at", Instant.now().toString());
        o.put("job", h.raw.length() <= 4096 ? h.raw : h.raw.substring(0, 4096) + "... (" + h.raw.length()
                + " characters)");
        String entry = o.toString();
        settle(h, () -> {
            if (redis(() -> queue.deadLetter(h.raw, jobId, entry))) {
                metrics.deadLettered.get(e.reason()).increment();
                log.warn("Dead-lettered job {}: {}: {}", jobId == null ? "(no id)" : jobId, e.reason().label(),
                        e.getMessage());
            }
        });
    }

    private void giveBack(InHand h, String jobId, boolean next) {
        if (redis(() -> queue.giveBack(h.raw, jobId, next))) {
            if (next) {
                metrics.returned.increment();
            }
        }
    }

    private void settle(InHand h, Runnable step) {
        if (h.settled.compareAndSet(false, true)) {
            step.run();
        }
    }

    /**
     * Runs a Redis step, retrying while Redis is unreachable (every 100 ms, backing off to 1 s). Gives up with the
     * last error once the drain deadline has passed.
     */
    private <T> T redis(Supplier<T> step) {
        long backoff = 100;
        while (true) {
            try {
                T value = step.get();
                redisUp();
                return value;
            } catch (RedisException e) {
                redisDown(e);
                if (System.nanoTime() - drainDeadlineNanos > 0 || !pause(backoff)) {
                    throw e;
                }
                backoff = Math.min(1000, backoff * 2);
            }
        }
    }

    /**
     * Stops taking new jobs (idempotent); jobs in hand go on.
     *
     * @param drainTimeout how long jobs in hand may still run
     */
    void stopTaking(Duration drainTimeout) {
        if (!stopping) {
            drainDeadlineNanos = System.nanoTime() + drainTimeout.toNanos();
            stopping = true;
            log.info("Draining: no new jobs; {} in hand may run for {} ms more", inHand.size(),
                    drainTimeout.toMillis());
        }
    }

    /**
     * The end of a drain: waits for the taker and for jobs in hand until the drain deadline, interrupts those still
     * running (they are given back), stops the heartbeat and leaves the worker set when nothing is left in the
     * processing list. Idempotent.
     */
    void finish() {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        stopTaking(settings.server().drainTimeout());
        try {
            taker.join(TAKE_WAIT.toMillis() + 5_000);
            runners.shutdown();
            long left = drainDeadlineNanos - System.nanoTime();
            if (!runners.awaitTermination(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                List<InHand> cut = new ArrayList<>(inHand.keySet());
                log.warn("Drain deadline: giving back {} jobs still running", cut.size());
                runners.shutdownNow();
                runners.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        heartbeat.shutdownNow();
        try {
            if (queue.leave()) {
                log.info("Left the worker set; nothing left in hand");
            } else {
                log.warn("Jobs are left in {}; other workers put them back when the lease expires",
                        queue.keys().processing(settings.workerId()));
            }
        } catch (RedisException e) {
            log.warn("Could not leave the worker set ({}); the lease expires in {} s", e.toString(),
                    settings.lease().toSeconds());
        }
    }

    /**
     * @return jobs in hand now
     */
    int inHand() {
        return inHand.size();
    }

    /** Finishes (if not done) and closes the Redis connections. */
    @Override
    public void close() {
        finish();
        queue.close();
    }
}
