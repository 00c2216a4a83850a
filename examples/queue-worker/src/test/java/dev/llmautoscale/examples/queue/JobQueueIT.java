package dev.llmautoscale.examples.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.testsupport.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each step of {@link JobQueue} (its Lua scripts) on a real redis-server, including the failure paths. */
class JobQueueIT {

    private static final Path LOGS = Path.of(System.getProperty("worker.logs", "target/e2e-logs"));

    private RedisServer server;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private RedisCommands<String, String> redis;
    private ClientResources resources;
    private final Map<String, JobQueue> queues = new HashMap<>();

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        server = RedisServer.start(dir, LOGS);
        client = RedisClient.create(RedisURI.create("127.0.0.1", server.port()));
        connection = client.connect();
        redis = connection.sync();
        resources = JobQueue.resources();
    }

    @AfterEach
    void stop() {
        queues.values().forEach(JobQueue::close);
        connection.close();
        client.shutdown();
        resources.shutdown();
        server.close();
    }

    private JobQueue queue(String worker) {
        return queues.computeIfAbsent(worker, w -> new JobQueue(WorkerSettings.from(Map.of("REDIS_HOST",
                server.address(), "WORKER_ID", w)::get), resources));
    }

    private static String job(String id) {
        return new Job(id, null, "p", 1, null, -1).toJson();
    }

    @Test
    void aResultIsStoredOnceAndARetryOfTheSameStoreStillCounts() throws Exception {
        JobQueue a = queue("a");
        JobQueue b = queue("b");
        redis.lpush("inference_queue", job("x"));
        String raw = a.take(Duration.ofSeconds(1));
        assertThat(raw).isEqualTo(job("x"));
        assertThat(redis.lrange("inference_queue:processing:a", 0, -1)).containsExactly(raw);
        assertThat(a.delivered("x")).isEqualTo(1);

        Job parsed = Job.parse(raw, 1024);
        assertThat(a.complete(raw, parsed, "{\"r\":1}", Duration.ofSeconds(60))).isTrue();
        assertThat(redis.get("inference_queue:result:x")).isEqualTo("{\"r\":1}");
        assertThat(redis.ttl("inference_queue:result:x")).isBetween(1L, 60L);
        assertThat(redis.llen("inference_queue:processing:a")).isZero();
        assertThat(redis.hexists("inference_queue:deliveries", "x")).isFalse();
        // A retry of the same store (its reply was lost) is still this worker's completion.
        assertThat(a.complete(raw, parsed, "{\"r\":1}", Duration.ofSeconds(60))).isTrue();

        // Another worker that ran the same job (its copy put back meanwhile) does not overwrite the result.
        redis.lpush("inference_queue", raw);
        assertThat(b.take(Duration.ofSeconds(1))).isEqualTo(raw);
        assertThat(b.hasResult("x")).isTrue();
        assertThat(b.complete(raw, parsed, "{\"r\":2}", Duration.ofSeconds(60))).isFalse();
        assertThat(redis.get("inference_queue:result:x")).isEqualTo("{\"r\":1}");
        assertThat(redis.llen("inference_queue:processing:b")).as("acknowledged anyway").isZero();
    }

    @Test
    void aReplyListGetsTheResult() throws Exception {
        JobQueue a = queue("a");
        String raw = new Job("y", null, "p", 1, "replies", -1).toJson();
        redis.lpush("inference_queue", raw);
        a.take(Duration.ofSeconds(1));
        assertThat(a.complete(raw, Job.parse(raw, 1024), "{\"id\":\"y\"}", Duration.ofSeconds(60))).isTrue();
        assertThat(redis.lrange("replies", 0, -1)).containsExactly("{\"id\":\"y\"}");
    }

    @Test
    void givingBackPutsTheJobNextOrLastAndAdjustsItsDeliveries() {
        JobQueue a = queue("a");
        redis.lpush("inference_queue", job("1"), job("2"), job("3"));
        String first = a.take(Duration.ofSeconds(1));
        assertThat(first).isEqualTo(job("1"));
        a.delivered("1");
        // Not started (a drain): taken next, the delivery not counted.
        assertThat(a.giveBack(first, "1", true)).isTrue();
        assertThat(redis.lindex("inference_queue", -1)).isEqualTo(job("1"));
        assertThat(redis.hexists("inference_queue:deliveries", "1")).isFalse();

        String again = a.take(Duration.ofSeconds(1));
        a.delivered("1");
        // A failed attempt: back of the line, the delivery counted.
        assertThat(a.giveBack(again, "1", false)).isTrue();
        assertThat(redis.lindex("inference_queue", 0)).isEqualTo(job("1"));
        assertThat(redis.hget("inference_queue:deliveries", "1")).isEqualTo("1");
        // A job this worker no longer owns is not given back twice.
        assertThat(a.giveBack(again, "1", false)).isFalse();
        assertThat(redis.llen("inference_queue")).isEqualTo(3);
    }

    @Test
    void deadLetteringMovesTheJobWithItsEntryOnlyOnce() {
        JobQueue a = queue("a");
        redis.lpush("inference_queue", "junk");
        String raw = a.take(Duration.ofSeconds(1));
        assertThat(a.deadLetter(raw, null, "{\"reason\":\"malformed\"}")).isTrue();
        assertThat(a.deadLetter(raw, null, "{\"reason\":\"malformed\"}")).isFalse();
        assertThat(redis.lrange("inference_queue:dead", 0, -1)).containsExactly("{\"reason\":\"malformed\"}");
        assertThat(redis.llen("inference_queue:processing:a")).isZero();
    }

    @Test
    void onlyWorkersWhoseLeaseExpiredAreRecoveredInTheOrderTheyTookTheirJobs() throws Exception {
        JobQueue dead = queue("dead");
        JobQueue alive = queue("alive");
        redis.lpush("inference_queue", job("1"), job("2"), job("3"));
        dead.heartbeat(Duration.ofMillis(300));
        alive.heartbeat(Duration.ofSeconds(30));
        dead.take(Duration.ofSeconds(1));
        dead.take(Duration.ofSeconds(1));
        alive.take(Duration.ofSeconds(1));
        assertThat(alive.recoverDeadWorkers()).as("the lease is still valid").isZero();

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (redis.exists("inference_queue:lease:dead") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(redis.exists("inference_queue:lease:dead")).isZero();
        assertThat(alive.recoverDeadWorkers()).isEqualTo(2);
        // Job 1 was taken first, so it is taken first again.
        assertThat(redis.lrange("inference_queue", 0, -1)).containsExactly(job("2"), job("1"));
        assertThat(redis.smembers("inference_queue:workers")).containsExactly("alive");
        assertThat(redis.lrange("inference_queue:processing:alive", 0, -1)).containsExactly(job("3"));
        assertThat(alive.recoverDeadWorkers()).isZero();
    }

    @Test
    void aWorkerLeavesOnlyWithNothingInHand() {
        JobQueue a = queue("a");
        a.heartbeat(Duration.ofSeconds(30));
        redis.lpush("inference_queue", job("1"));
        String raw = a.take(Duration.ofSeconds(1));
        assertThat(a.leave()).isFalse();
        assertThat(redis.exists("inference_queue:lease:a")).isEqualTo(1);
        a.giveBack(raw, null, true);
        assertThat(a.leave()).isTrue();
        assertThat(redis.exists("inference_queue:lease:a")).isZero();
        assertThat(redis.smembers("inference_queue:workers")).isEmpty();
        assertThat(a.take(Duration.ofMillis(100))).isEqualTo(raw);
        assertThat(a.take(Duration.ofMillis(100))).as("an empty queue: the wait ends with nothing").isNull();
    }
}
