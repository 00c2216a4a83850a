package dev.llmautoscale.examples.queue;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.LMoveArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.Objects;

/**
 * The Redis side of the queue (Lettuce): every step a job goes through, each one atomic.
 *
 * <p>A job moves from the queue into the taking worker's processing list with {@code BLMOVE} (so it is never only in
 * a worker's memory), and leaves it in the same Lua script that stores its result, dead-letters it or puts it back.
 * A script is atomic in Redis: there is no moment where a result is stored and the job still owned, or the job
 * removed and its result not stored. A result is stored only if none is stored yet, so a job that two workers ran
 * (the first one's lease expired during a Redis outage) completes once.
 *
 * <p>Two connections: one for the taker's blocking {@code BLMOVE}, one shared by every other command (Lettuce
 * connections are thread-safe; a blocking command would stall the others). Both reconnect on their own; while
 * disconnected, commands fail at once instead of piling up, and the callers retry.
 */
public final class JobQueue implements AutoCloseable {

    /** Stores the result unless one is stored, pushes it to the reply list, acknowledges. Returns 1, or 0 if another
     *  result was already stored (the job is acknowledged either way); 1 again when the stored result is this very
     *  one (a retry after a lost reply). */
    private static final String COMPLETE = String.join("\n",
            "local existing = redis.call('GET', KEYS[1])",
            "if existing then",
            "  redis.call('LREM', KEYS[2], 1, ARGV[1])",
            "  redis.call('HDEL', KEYS[3], ARGV[4])",
            "  if existing == ARGV[2] then return 1 end",
            "  return 0",
            "end",
            "redis.call('SET', KEYS[1], ARGV[2], 'EX', tonumber(ARGV[3]))",
            "if ARGV[5] == '1' then redis.call('RPUSH', KEYS[4], ARGV[2]) end",
            "redis.call('LREM', KEYS[2], 1, ARGV[1])",
            "redis.call('HDEL', KEYS[3], ARGV[4])",
            "return 1");

    /** Acknowledges a job that a stored result already answers (a duplicate id). */
    private static final String ACK = String.join("\n",
            "redis.call('LREM', KEYS[1], 1, ARGV[1])",
            "return 1");

    /** Moves a job this worker owns to the dead-letter list with its error. Returns 0 if it was not owned. */
    private static final String DEAD_LETTER = String.join("\n",
            "if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then return 0 end",
            "redis.call('RPUSH', KEYS[2], ARGV[2])",
            "if ARGV[3] ~= '' then redis.call('HDEL', KEYS[3], ARGV[3]) end",
            "return 1");

    /** Gives a job back to the queue: RIGHT = taken next (not started at shutdown), LEFT = back of the line (a
     *  failed attempt); ARGV[4] is added to its delivery count. Returns 0 if it was not owned. */
    private static final String GIVE_BACK = String.join("\n",
            "if redis.call('LREM', KEYS[1], 1, ARGV[1]) == 0 then return 0 end",
            "if ARGV[2] == 'RIGHT' then redis.call('RPUSH', KEYS[2], ARGV[1])",
            "else redis.call('LPUSH', KEYS[2], ARGV[1]) end",
            "if ARGV[3] ~= '' and tonumber(ARGV[4]) ~= 0 then",
            "  if redis.call('HINCRBY', KEYS[3], ARGV[3], tonumber(ARGV[4])) <= 0 then",
            "    redis.call('HDEL', KEYS[3], ARGV[3])",
            "  end",
            "end",
            "return 1");

    /** Renews the lease, registers the worker, returns the queue length. */
    private static final String HEARTBEAT = String.join("\n",
            "redis.call('SET', KEYS[1], ARGV[1], 'PX', tonumber(ARGV[2]))",
            "redis.call('SADD', KEYS[2], ARGV[3])",
            "return redis.call('LLEN', KEYS[3])");

    /** Puts back the processing lists of registered workers whose lease expired (other than the caller), in their
     *  order, at the end of the queue taken next. Returns the number of jobs put back. Keys are built in the script:
     *  one Redis (or one hash slot by a {queue} tag), not a cluster. */
    private static final String RECOVER = String.join("\n",
            "local recovered = 0",
            "for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do",
            "  if id ~= ARGV[3] and redis.call('EXISTS', ARGV[2] .. id) == 0 then",
            "    local list = ARGV[1] .. id",
            "    while redis.call('LMOVE', list, KEYS[2], 'LEFT', 'RIGHT') do recovered = recovered + 1 end",
            "    redis.call('SREM', KEYS[1], id)",
            "  end",
            "end",
            "return recovered");

    /** Releases this worker's lease and registration if its processing list is empty. */
    private static final String LEAVE = String.join("\n",
            "if redis.call('LLEN', KEYS[1]) > 0 then return 0 end",
            "redis.call('DEL', KEYS[2])",
            "redis.call('SREM', KEYS[3], ARGV[1])",
            "return 1");

    private final QueueKeys keys;
    private final String worker;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> blocking;
    private final StatefulRedisConnection<String, String> shared;

    /**
     * Connects (both connections; fails when Redis cannot be reached now).
     *
     * @param settings the worker's settings
     * @param resources the client resources (event loops, reconnect delay), closed by the caller
     */
    JobQueue(WorkerSettings settings, ClientResources resources) {
        this.keys = new QueueKeys(settings.queue());
        this.worker = settings.workerId();
        RedisURI.Builder uri = RedisURI.builder().withHost(settings.redisHost()).withPort(settings.redisPort())
                .withTimeout(Duration.ofSeconds(5));
        if (settings.redisPassword() != null) {
            uri.withPassword(settings.redisPassword().toCharArray());
        }
        this.client = RedisClient.create(resources, uri.build());
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(2)).build())
                .build());
        StatefulRedisConnection<String, String> b = null;
        try {
            b = client.connect();
            this.blocking = b;
            this.shared = client.connect();
        } catch (RuntimeException e) {
            if (b != null) {
                b.close();
            }
            client.shutdown();
            throw e;
        }
    }

    /**
     * Client resources for the worker: reconnects after 100 ms, then backs off to at most 1 s (Lettuce's default
     * goes up to 30 s, which would leave a worker idle long after Redis is back).
     *
     * @return new resources; shut them down after {@link #close()}
     */
    static ClientResources resources() {
        return ClientResources.builder()
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(1), 2,
                        java.util.concurrent.TimeUnit.MILLISECONDS))
                .build();
    }

    /**
     * @return the keys
     */
    public QueueKeys keys() {
        return keys;
    }

    private RedisCommands<String, String> redis() {
        return shared.sync();
    }

    /**
     * @return whether both connections are open now
     */
    boolean connected() {
        return blocking.isOpen() && shared.isOpen();
    }

    /**
     * Waits up to {@code timeout} for a job and moves it into this worker's processing list.
     *
     * @param timeout the longest wait
     * @return the job as pushed, or {@code null} when none came
     */
    String take(Duration timeout) {
        return blocking.sync().blmove(keys.queue(), keys.processing(worker), LMoveArgs.Builder.rightLeft(),
                timeout.toMillis() / 1000.0);
    }

    /**
     * @return the jobs in this worker's processing list, newest first
     */
    java.util.List<String> processingList() {
        return redis().lrange(keys.processing(worker), 0, -1);
    }

    /**
     * Counts one more delivery of a job.
     *
     * @param jobId the job
     * @return how many times it has been taken without completing, this time included
     */
    long delivered(String jobId) {
        return redis().hincrby(keys.deliveries(), jobId, 1);
    }

    /**
     * @param jobId a job
     * @return whether its result is stored
     */
    boolean hasResult(String jobId) {
        return redis().exists(keys.result(jobId)) > 0;
    }

    /**
     * Stores the result (unless one is stored), pushes it to the reply list and acknowledges the job, atomically.
     *
     * @param raw the job as taken
     * @param job the parsed job
     * @param result the result JSON
     * @param ttl the result's expiry
     * @return true when this call stored the result; false when a result was already stored
     */
    boolean complete(String raw, Job job, String result, Duration ttl) {
        String reply = job.replyTo() == null ? keys.result(job.id()) : job.replyTo();
        Long stored = redis().eval(COMPLETE, ScriptOutputType.INTEGER,
                new String[] {keys.result(job.id()), keys.processing(worker), keys.deliveries(), reply},
                raw, result, Long.toString(Math.max(1, ttl.toSeconds())), job.id(), job.replyTo() == null ? "0" : "1");
        return stored != null && stored == 1;
    }

    /**
     * Acknowledges a job without storing anything (its result is already stored).
     *
     * @param raw the job as taken
     */
    void acknowledge(String raw) {
        redis().eval(ACK, ScriptOutputType.INTEGER, new String[] {keys.processing(worker)}, raw);
    }

    /**
     * Moves a job to the dead-letter list.
     *
     * @param raw the job as taken
     * @param jobId its id, or {@code null} when unknown
     * @param entry the dead-letter entry (JSON)
     * @return false when this worker no longer owned the job
     */
    boolean deadLetter(String raw, String jobId, String entry) {
        Long moved = redis().eval(DEAD_LETTER, ScriptOutputType.INTEGER,
                new String[] {keys.processing(worker), keys.dead(), keys.deliveries()},
                raw, entry, jobId == null ? "" : jobId);
        return moved != null && moved == 1;
    }

    /**
     * Gives a job back to the queue.
     *
     * @param raw the job as taken
     * @param jobId its id, or {@code null}
     * @param next true: taken next (a job not started, its delivery not counted); false: at the back of the line (a
     *     failed attempt, which counts)
     * @return false when this worker no longer owned the job
     */
    boolean giveBack(String raw, String jobId, boolean next) {
        Long moved = redis().eval(GIVE_BACK, ScriptOutputType.INTEGER,
                new String[] {keys.processing(worker), keys.queue(), keys.deliveries()},
                raw, next ? "RIGHT" : "LEFT", jobId == null ? "" : jobId, next ? "-1" : "0");
        return moved != null && moved == 1;
    }

    /**
     * Renews this worker's lease and registration.
     *
     * @param lease the lease's length
     * @return the queue length now
     */
    long heartbeat(Duration lease) {
        Long length = redis().eval(HEARTBEAT, ScriptOutputType.INTEGER,
                new String[] {keys.lease(worker), keys.workers(), keys.queue()},
                Long.toString(ProcessHandle.current().pid()), Long.toString(lease.toMillis()), worker);
        return length == null ? 0 : length;
    }

    /**
     * Puts back the jobs of dead workers.
     *
     * @return how many jobs were put back
     */
    long recoverDeadWorkers() {
        Long n = redis().eval(RECOVER, ScriptOutputType.INTEGER, new String[] {keys.workers(), keys.queue()},
                keys.processingPrefix(), keys.leasePrefix(), worker);
        return n == null ? 0 : n;
    }

    /**
     * Drops this worker's lease and registration, if it holds no job any more.
     *
     * @return whether it left (false: jobs are left in its processing list, for recovery once the lease expires)
     */
    boolean leave() {
        Long left = redis().eval(LEAVE, ScriptOutputType.INTEGER,
                new String[] {keys.processing(worker), keys.lease(worker), keys.workers()}, worker);
        return left != null && left == 1;
    }

    /** Closes both connections and the client. */
    @Override
    public void close() {
        blocking.close();
        shared.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    @Override
    public String toString() {
        return "JobQueue[" + Objects.requireNonNull(keys).queue() + ", worker " + worker + "]";
    }
}
