package dev.llmautoscale.examples.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.examples.deploy.ManifestMetrics;
import dev.llmautoscale.examples.deploy.Manifests;
import dev.llmautoscale.testsupport.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The queue worker end to end: its shaded jar as separate processes against a real {@code redis-server} on a free
 * loopback port. Every guarantee is checked on Redis' own state (results by id, the reply list, the processing
 * lists, the dead-letter list) and on the workers' scrapes.
 */
class QueueWorkerIT {

    private static final String QUEUE = "inference_queue";
    private static final QueueKeys KEYS = new QueueKeys(QUEUE);
    private static final Path LOGS = Path.of(System.getProperty("worker.logs", "target/e2e-logs"));

    private final List<AutoCloseable> resources = new ArrayList<>();
    private RedisCommands<String, String> redis;

    @AfterEach
    void tearDown() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private <T extends AutoCloseable> T keep(T resource) {
        resources.add(resource);
        return resource;
    }

    private RedisServer redis(Path dir, boolean durable) throws Exception {
        RedisServer server = keep(durable ? RedisServer.startDurable(dir, LOGS) : RedisServer.start(dir, LOGS));
        RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
        resources.add(client::shutdown);
        StatefulRedisConnection<String, String> c = client.connect();
        resources.add(c);
        redis = c.sync();
        return server;
    }

    private WorkerProcess worker(RedisServer server, String name, Map<String, String> overrides) throws Exception {
        Map<String, String> env = WorkerProcess.env(server.address(), name);
        env.putAll(overrides);
        return keep(WorkerProcess.start(name, env));
    }

    private void push(String prefix, int count, int maxTokens) {
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            jobs.add(new Job(prefix + i, null, "Explain autoscaling, part " + i, maxTokens, "replies",
                    System.currentTimeMillis()).toJson());
        }
        redis.lpush(QUEUE, jobs.toArray(String[]::new));
    }

    /** Polls a condition every 50 ms until it holds; fails with the message after a generous deadline. */
    private static void await(String what, Duration timeout, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.call()) {
                    return;
                }
            } catch (RedisException | java.io.IOException e) {
                last = e;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
                + (last == null ? "" : " (last error: " + last + ")"));
    }

    /** The reply list's results by job id; fails on a second result for one id. */
    private Map<String, JsonNode> repliesById() {
        Map<String, JsonNode> byId = new HashMap<>();
        for (String r : redis.lrange("replies", 0, -1)) {
            JsonNode node = Job.json().readTree(r);
            JsonNode previous = byId.put(node.get("id").stringValue(), node);
            assertThat(previous).as("a second result for job " + node.get("id")).isNull();
        }
        return byId;
    }

    private long resultsStored(String prefix, int count) {
        long n = 0;
        for (int i = 0; i < count; i++) {
            n += redis.exists(KEYS.result(prefix + i));
        }
        return n;
    }

    private Set<String> processingLists() {
        return new HashSet<>(redis.keys(KEYS.processingPrefix() + "*"));
    }

    private static long countByWorker(Map<String, JsonNode> results, String worker) {
        return results.values().stream().filter(r -> r.get("worker").stringValue().equals(worker)).count();
    }

    @Test
    void fiveHundredJobsTwoWorkersOneKilledMidJobEveryJobCompletesExactlyOnce(@TempDir Path dir) throws Exception {
        RedisServer server = redis(dir, false);
        WorkerProcess a = worker(server, "worker-a", Map.of());
        WorkerProcess b = worker(server, "worker-b", Map.of());
        long t0 = System.nanoTime();
        push("job-", 500, 20);

        // Kill A while it holds jobs (its processing list is not empty) and has completed some.
        await("worker A to hold jobs after completing some", Duration.ofSeconds(60), () ->
                a.metric("llm_queue_worker_jobs_completed_total") >= 20
                        && redis.llen(KEYS.processing(a.id)) > 0);
        a.process.sigkill();
        a.process.awaitExit(Duration.ofSeconds(30));
        // What the dead worker held, and how many deliveries Redis had counted for each: a worker killed between its
        // BLMOVE and counting the delivery leaves a job whose take was never counted.
        Map<String, Long> countedAtKill = new HashMap<>();
        for (String raw : redis.lrange(KEYS.processing(a.id), 0, -1)) {
            String id = Job.json().readTree(raw).get("id").stringValue();
            String counted = redis.hget(KEYS.deliveries(), id);
            countedAtKill.put(id, counted == null ? 0L : Long.parseLong(counted));
        }
        long heldByKilled = countedAtKill.size();
        assertThat(heldByKilled).as("jobs in the killed worker's processing list").isPositive();
        long killedAt = System.nanoTime();
        WorkerProcess a2 = worker(server, "worker-a", Map.of());

        await("500 results", Duration.ofSeconds(90), () -> redis.llen("replies") >= 500);
        double seconds = (System.nanoTime() - t0) / 1e9;
        await("the killed worker's jobs recovered", Duration.ofSeconds(30), () ->
                b.metric("llm_queue_worker_jobs_recovered_total")
                        + a2.metric("llm_queue_worker_jobs_recovered_total") >= heldByKilled);
        System.out.printf("500 jobs, 2 workers, one SIGKILLed: %.1f s (%.0f jobs/s); %d jobs held by the killed "
                + "worker; all done %.1f s after the kill%n", seconds, 500 / seconds, heldByKilled,
                (System.nanoTime() - killedAt) / 1e9);

        // Exactly once: one result per id, none missing, nothing left anywhere.
        Map<String, JsonNode> results = repliesById();
        assertThat(results).hasSize(500);
        assertThat(resultsStored("job-", 500)).isEqualTo(500);
        for (int i = 0; i < 500; i++) {
            assertThat(results).containsKey("job-" + i);
        }
        assertThat(redis.llen(QUEUE)).isZero();
        assertThat(redis.llen(KEYS.dead())).isZero();
        assertThat(redis.hlen(KEYS.deliveries())).as("delivery counts are dropped once a job completes").isZero();
        assertThat(redis.llen(KEYS.processing(a.id))).isZero();
        await("the dead worker unregistered", Duration.ofSeconds(10), () ->
                !redis.smembers(KEYS.workers()).contains(a.id));
        assertThat(redis.smembers(KEYS.workers())).containsExactlyInAnyOrder(b.id, a2.id);

        // Counters agree with the results each live worker stored, and with the library's counts.
        long byKilled = countByWorker(results, a.id);
        for (WorkerProcess w : List.of(b, a2)) {
            String s = w.scrape();
            double completed = WorkerProcess.value(s, "llm_queue_worker_jobs_completed_total").orElseThrow();
            assertThat(completed).as("completed by " + w.id).isEqualTo(countByWorker(results, w.id));
            assertThat(WorkerProcess.value(s, "llm_queue_worker_jobs_taken_total").orElseThrow())
                    .as("taken by " + w.id).isEqualTo(completed);
            assertThat(WorkerProcess.value(s, "llm_inference_requests_total{model=\"llama-2-13b-chat\","
                    + "status=\"success\"}").orElseThrow()).as("library successes of " + w.id).isEqualTo(completed);
            assertThat(WorkerProcess.value(s, "llm_inference_requests_total{model=\"llama-2-13b-chat\","
                    + "status=\"error\"}").orElseThrow()).as("library errors of " + w.id).isZero();
            assertThat(WorkerProcess.value(s, "llm_queue_worker_jobs_in_hand").orElseThrow()).isZero();
            assertThat(WorkerProcess.value(s, "llm_active_requests").orElseThrow()).isZero();
            assertThat(WorkerProcess.value(s, "llm_inference_queue_depth").orElseThrow()).isZero();
            assertThat(WorkerProcess.value(s, "llm_requests_running{model=\"llama-2-13b-chat\"}").orElseThrow())
                    .isZero();
            assertThat(w.get("/active_requests").body().trim()).isEqualTo("0");
            // The list length is the queue's length at the worker's last heartbeat (at most a second old).
            await("the list length of " + w.id + " at 0", Duration.ofSeconds(10), () -> WorkerProcess.value(
                    w.scrape(), "llm_queue_worker_list_length{list=\"inference_queue\"}").orElseThrow() == 0);
        }
        assertThat(byKilled + countByWorker(results, b.id) + countByWorker(results, a2.id)).isEqualTo(500);
        // Every job the killed worker held was run again by a live worker, as the next delivery after the ones Redis
        // had counted (attempt 2 when its first take was counted), and only those jobs were run twice.
        for (Map.Entry<String, Long> held : countedAtKill.entrySet()) {
            JsonNode r = results.get(held.getKey());
            assertThat(r.get("worker").stringValue()).as("worker of recovered " + held.getKey()).isIn(b.id, a2.id);
            assertThat(r.get("attempt").asLong()).as("attempt of recovered " + held.getKey())
                    .isEqualTo(held.getValue() + 1);
        }
        assertThat(results.values().stream().filter(r -> r.get("attempt").asLong() == 2).count())
                .isEqualTo(countedAtKill.values().stream().filter(n -> n == 1).count());
    }

    @Test
    void sigtermFinishesJobsInHandAndGivesBackTheRest(@TempDir Path dir) throws Exception {
        RedisServer server = redis(dir, false);
        // Jobs of about 0.4 s; W1 drains fully, W2's drain deadline (0.2 s) cuts its jobs short.
        WorkerProcess w1 = worker(server, "worker-drain", Map.of());
        push("job-", 100, 100);
        await("W1 to hold 8 jobs", Duration.ofSeconds(60), () -> redis.llen(KEYS.processing(w1.id)) == 8);
        w1.process.sigterm();
        w1.process.awaitExit(Duration.ofSeconds(60));
        assertThat(w1.process.output()).contains("Draining: no new jobs").contains("Left the worker set");
        assertThat(w1.process.output()).doesNotContain("Drain deadline");
        long afterW1 = repliesById().size();
        assertThat(afterW1).as("W1 finished the 8 jobs it held at SIGTERM").isGreaterThanOrEqualTo(8);
        assertThat(afterW1 + redis.llen(QUEUE)).as("nothing lost").isEqualTo(100);
        assertThat(processingLists()).isEmpty();
        assertThat(redis.smembers(KEYS.workers())).isEmpty();

        WorkerProcess w2 = worker(server, "worker-cut", Map.of("DRAIN_TIMEOUT_SECONDS", "0.2"));
        await("W2 to hold 8 jobs", Duration.ofSeconds(60), () -> redis.llen(KEYS.processing(w2.id)) == 8);
        w2.process.sigterm();
        w2.process.awaitExit(Duration.ofSeconds(60));
        assertThat(w2.process.output()).contains("Drain deadline: giving back");
        long afterW2 = repliesById().size();
        assertThat(afterW2 + redis.llen(QUEUE)).as("the cut jobs are back in the queue").isEqualTo(100);
        assertThat(processingLists()).isEmpty();

        WorkerProcess w3 = worker(server, "worker-rest", Map.of());
        await("100 results", Duration.ofSeconds(90), () -> redis.llen("replies") >= 100);
        assertThat(repliesById()).hasSize(100);
        assertThat(resultsStored("job-", 100)).isEqualTo(100);
        assertThat(redis.llen(KEYS.dead())).isZero();
        await("W3 idle", Duration.ofSeconds(10), () -> w3.metric("llm_queue_worker_jobs_in_hand") == 0);
        assertThat(w3.metric("llm_queue_worker_jobs_completed_total")).isEqualTo(100 - afterW2);
    }

    @Test
    void theDrainTriggerFileStopsTheTakingAndTheJobsInHandFinish(@TempDir Path dir) throws Exception {
        RedisServer server = redis(dir, false);
        Path trigger = dir.resolve("shutdown");
        WorkerProcess w = worker(server, "worker-trigger", Map.of("DRAIN_TRIGGER_FILE", trigger.toString()));
        push("job-", 60, 100);
        await("the worker to hold 8 jobs", Duration.ofSeconds(60), () -> redis.llen(KEYS.processing(w.id)) == 8);
        Files.createFile(trigger); // the guide's preStop touch
        await("/ready 503 after the touch", Duration.ofSeconds(30), () -> w.get("/ready").statusCode() == 503);
        assertThat(w.get("/health").statusCode()).as("alive while draining").isEqualTo(200);
        // The jobs in hand finish; no new job is taken; the process keeps running until SIGTERM.
        await("the jobs in hand done", Duration.ofSeconds(60), () -> redis.llen(KEYS.processing(w.id)) == 0
                && Integer.parseInt(w.get("/active_requests").body().strip()) == 0);
        long done = repliesById().size();
        assertThat(done).as("the 8 jobs held at the touch finished").isGreaterThanOrEqualTo(8).isLessThan(60);
        assertThat(done + redis.llen(QUEUE)).as("the rest stays in the queue").isEqualTo(60);
        assertThat(w.process.isAlive()).isTrue();
        assertThat(w.process.output()).contains("appeared; draining", "Draining: no new jobs");
        assertThat(w.get("/metrics").statusCode()).isEqualTo(200);
        w.process.sigterm();
        w.process.awaitExit(Duration.ofSeconds(60));
        assertThat(repliesById().size() + redis.llen(QUEUE)).as("nothing lost").isEqualTo(60);
    }

    @Test
    void malformedJobsAreDeadLetteredWithAClearErrorAndTheWorkerGoesOn(@TempDir Path dir) throws Exception {
        RedisServer server = redis(dir, false);
        WorkerProcess w = worker(server, "worker-dlq", Map.of("MAX_JOB_BYTES", "65536", "MAX_ATTEMPTS", "3"));
        redis.hset(KEYS.deliveries(), "crashy", "3");
        redis.lpush(QUEUE,
                "this is not JSON",
                "[1, 2, 3]",
                "{\"id\":\"no-tokens\",\"prompt\":\"hello\"}",
                "{\"id\":\"typo\",\"prompt\":\"hello\",\"maxTokens\":4}",
                "{\"id\":\"unknown-model\",\"model\":\"gpt-17\",\"prompt\":\"hello\",\"max_tokens\":4}",
                "{\"id\":\"long-prompt\",\"prompt\":\"" + "x".repeat(20_000) + "\",\"max_tokens\":4}",
                "{\"id\":\"huge\",\"prompt\":\"" + "y".repeat(100_000) + "\",\"max_tokens\":4}",
                "{\"id\":\"crashy\",\"prompt\":\"hello\",\"max_tokens\":4}");
        push("good-", 10, 4);

        await("10 good results", Duration.ofSeconds(60), () -> redis.llen("replies") >= 10);
        await("8 dead letters", Duration.ofSeconds(30), () -> redis.llen(KEYS.dead()) >= 8);
        Map<String, String> errors = new HashMap<>();
        Map<String, String> reasons = new HashMap<>();
        for (String entry : redis.lrange(KEYS.dead(), 0, -1)) {
            JsonNode e = Job.json().readTree(entry);
            String key = e.has("id") ? e.get("id").stringValue() : e.get("job").stringValue();
            errors.put(key, e.get("error").stringValue());
            reasons.put(key, e.get("reason").stringValue());
            assertThat(e.get("worker").stringValue()).isEqualTo(w.id);
        }
        assertThat(reasons).containsEntry("this is not JSON", "malformed").containsEntry("[1, 2, 3]", "malformed")
                .containsEntry("no-tokens", "malformed").containsEntry("typo", "malformed")
                .containsEntry("unknown-model", "unknown_model").containsEntry("long-prompt", "too_large")
                .containsEntry("huge", "too_large").containsEntry("crashy", "attempts_exhausted");
        assertThat(errors.get("this is not JSON")).startsWith("the job is not JSON");
        assertThat(errors.get("[1, 2, 3]")).contains("must be a JSON object", "got array");
        assertThat(errors.get("no-tokens")).isEqualTo("'max_tokens' is required (an integer >= 1)");
        assertThat(errors.get("typo")).contains("unknown field 'maxTokens'", "max_tokens");
        assertThat(errors.get("unknown-model")).contains("'gpt-17'", "llama-2-13b-chat", "MODEL_NAME");
        assertThat(errors.get("long-prompt")).contains("maximum context length is 4096 tokens", "5000 prompt tokens", "MAX_MODEL_LEN");
        assertThat(errors.get("huge")).contains("more than MAX_JOB_BYTES (65536)");
        assertThat(errors.get("crashy")).contains("taken 4 times without completing (MAX_ATTEMPTS 3)");

        assertThat(repliesById()).hasSize(10);
        assertThat(w.process.isAlive()).isTrue();
        assertThat(w.get("/ready").statusCode()).isEqualTo(200);
        String s = w.scrape();
        assertThat(WorkerProcess.value(s, "llm_queue_worker_jobs_dead_lettered_total{reason=\"malformed\"}"))
                .hasValue(4.0);
        assertThat(WorkerProcess.value(s, "llm_queue_worker_jobs_dead_lettered_total{reason=\"unknown_model\"}"))
                .hasValue(1.0);
        assertThat(WorkerProcess.value(s, "llm_queue_worker_jobs_dead_lettered_total{reason=\"too_large\"}"))
                .hasValue(2.0);
        assertThat(WorkerProcess.value(s,
                "llm_queue_worker_jobs_dead_lettered_total{reason=\"attempts_exhausted\"}")).hasValue(1.0);
        assertThat(WorkerProcess.value(s, "llm_queue_worker_jobs_completed_total")).hasValue(10.0);
        // Every query of deploy/ on the worker's own families finds them, with the label values it selects.
        assertThat(ManifestMetrics.queueWorkerProblems(s, Manifests.all())).isEmpty();
        assertThat(redis.llen(QUEUE)).isZero();
        assertThat(redis.llen(KEYS.processing(w.id))).isZero();
        assertThat(redis.hlen(KEYS.deliveries())).isZero();
    }

    @Test
    void redisRestartedMidRunTheWorkerReconnectsReportsTheOutageAndLosesNothing(@TempDir Path dir)
            throws Exception {
        RedisServer server = redis(dir, true);
        WorkerProcess w = worker(server, "worker-outage", Map.of());
        push("job-", 300, 20);
        await("some results", Duration.ofSeconds(60), () -> redis.llen("replies") >= 50);

        server.stop();
        long stoppedAt = System.nanoTime();
        await("readiness to report the outage", Duration.ofSeconds(30), () -> {
            var r = w.get("/ready");
            return r.statusCode() == 503 && r.body().contains("Redis at " + server.address() + " unreachable");
        });
        assertThat(w.get("/health").statusCode()).as("liveness is not Redis' business").isEqualTo(200);
        assertThat(w.metric("llm_queue_worker_redis_up")).isZero();

        long outage = System.nanoTime() - stoppedAt;
        server.startAgain();
        long restartedAt = System.nanoTime();
        await("readiness back", Duration.ofSeconds(30), () -> w.get("/ready").statusCode() == 200);
        System.out.printf("Redis outage of %.1f s: ready again %.2f s after Redis was back%n", outage / 1e9,
                (System.nanoTime() - restartedAt) / 1e9);
        await("300 results", Duration.ofSeconds(90), () -> redis.llen("replies") >= 300);
        assertThat(repliesById()).hasSize(300);
        assertThat(resultsStored("job-", 300)).isEqualTo(300);
        await("nothing left in hand", Duration.ofSeconds(30), () -> redis.llen(KEYS.processing(w.id)) == 0
                && w.metric("llm_queue_worker_jobs_in_hand") == 0);
        assertThat(redis.llen(QUEUE)).isZero();
        assertThat(redis.llen(KEYS.dead())).isZero();
        assertThat(w.metric("llm_queue_worker_redis_up")).isEqualTo(1.0);
        assertThat(w.metric("llm_queue_worker_jobs_completed_total")).isEqualTo(300.0);
    }
}
