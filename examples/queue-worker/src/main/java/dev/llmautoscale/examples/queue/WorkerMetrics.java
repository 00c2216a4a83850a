package dev.llmautoscale.examples.queue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The worker's own meters, beside the library's (which count the inferences): every series exists from the start,
 * at 0, so that {@code increase()} sees the first event.
 *
 * <table>
 *   <caption>Families</caption>
 *   <tr><th>name</th><th>type</th><th>meaning</th></tr>
 *   <tr><td>{@code llm_queue_worker_list_length{list}}</td><td>gauge</td><td>the queue's length at the last
 *       heartbeat (jobs waiting; jobs in hand are not in it)</td></tr>
 *   <tr><td>{@code llm_queue_worker_jobs_in_hand}</td><td>gauge</td><td>jobs taken and not yet settled</td></tr>
 *   <tr><td>{@code llm_queue_worker_jobs_taken_total}</td><td>counter</td><td>jobs moved into this worker's
 *       processing list</td></tr>
 *   <tr><td>{@code llm_queue_worker_jobs_completed_total}</td><td>counter</td><td>results stored</td></tr>
 *   <tr><td>{@code llm_queue_worker_jobs_duplicate_total}</td><td>counter</td><td>jobs acknowledged because a
 *       result was already stored under their id</td></tr>
 *   <tr><td>{@code llm_queue_worker_jobs_failed_total}</td><td>counter</td><td>attempts that failed in the engine
 *       (retried, or dead-lettered after {@code MAX_ATTEMPTS})</td></tr>
 *   <tr><td>{@code llm_queue_worker_jobs_returned_total}</td><td>counter</td><td>jobs given back not started or cut
 *       short (shutdown, admission refused)</td></tr>
 *   <tr><td>{@code llm_queue_worker_jobs_recovered_total}</td><td>counter</td><td>jobs put back from dead workers'
 *       processing lists by this worker</td></tr>
 *   <tr><td>{@code llm_queue_worker_jobs_dead_lettered_total{reason}}</td><td>counter</td><td>jobs given up on:
 *       {@code malformed}, {@code unknown_model}, {@code too_large}, {@code attempts_exhausted}</td></tr>
 *   <tr><td>{@code llm_queue_worker_job_age_seconds}</td><td>histogram</td><td>time from {@code enqueued_at} to the
 *       start of the run</td></tr>
 *   <tr><td>{@code llm_queue_worker_redis_up}</td><td>gauge</td><td>1 while the last Redis command succeeded</td></tr>
 * </table>
 */
final class WorkerMetrics {

    final Counter taken;
    final Counter completed;
    final Counter duplicate;
    final Counter failed;
    final Counter returned;
    final Counter recovered;
    final Map<JobException.Reason, Counter> deadLettered = new EnumMap<>(JobException.Reason.class);
    final Timer jobAge;
    final AtomicLong listLength = new AtomicLong();
    final AtomicInteger inHand = new AtomicInteger();
    final AtomicInteger redisUp = new AtomicInteger();

    WorkerMetrics(MeterRegistry registry, String queue) {
        taken = counter(registry, "taken", "Jobs moved from the queue into this worker's processing list");
        completed = counter(registry, "completed", "Jobs whose result this worker stored");
        duplicate = counter(registry, "duplicate", "Jobs acknowledged without storing: a result was already stored");
        failed = counter(registry, "failed", "Attempts that failed in the engine");
        returned = counter(registry, "returned", "Jobs given back to the queue not started or cut short");
        recovered = counter(registry, "recovered", "Jobs put back from the processing lists of dead workers");
        for (JobException.Reason reason : JobException.Reason.values()) {
            deadLettered.put(reason, Counter.builder("llm.queue.worker.jobs.dead.lettered")
                    .tag("reason", reason.label())
                    .description("Jobs moved to the dead-letter list, by reason")
                    .register(registry));
        }
        jobAge = Timer.builder("llm.queue.worker.job.age")
                .description("Time from enqueued_at to the start of the job's run")
                .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1),
                        Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
                        Duration.ofSeconds(60), Duration.ofSeconds(120), Duration.ofSeconds(300),
                        Duration.ofSeconds(600))
                .register(registry);
        Gauge.builder("llm.queue.worker.list.length", listLength, AtomicLong::get)
                .tag("list", queue)
                .description("Length of the queue at the last heartbeat (jobs waiting, not those in hand)")
                .register(registry);
        Gauge.builder("llm.queue.worker.jobs.in.hand", inHand, AtomicInteger::get)
                .description("Jobs taken by this worker and not yet completed, dead-lettered or given back")
                .register(registry);
        Gauge.builder("llm.queue.worker.redis.up", redisUp, AtomicInteger::get)
                .description("1 while the last Redis command succeeded, 0 during an outage")
                .register(registry);
    }

    private static Counter counter(MeterRegistry registry, String what, String description) {
        return Counter.builder("llm.queue.worker.jobs." + what).description(description).register(registry);
    }

    void age(long enqueuedAtMillis) {
        if (enqueuedAtMillis >= 0) {
            jobAge.record(Math.max(0, System.currentTimeMillis() - enqueuedAtMillis), TimeUnit.MILLISECONDS);
        }
    }
}
