package dev.llmautoscale.examples.queue;

import java.util.Objects;

/**
 * The Redis keys of one queue. Every key starts with the queue's name, so one Redis can hold several queues.
 *
 * <ul>
 *   <li>{@code <queue>} — the list producers {@code LPUSH} jobs onto and workers take from its other end (FIFO); the
 *       guide's KEDA {@code redis} trigger reads its length.</li>
 *   <li>{@code <queue>:processing:<worker>} — the jobs a worker has in hand, moved there atomically by
 *       {@code BLMOVE}.</li>
 *   <li>{@code <queue>:lease:<worker>} — the worker's heartbeat, with an expiry; gone means dead.</li>
 *   <li>{@code <queue>:workers} — the set of worker ids that may own a processing list.</li>
 *   <li>{@code <queue>:deliveries} — a hash: job id → times taken without completing (crash loops end in the
 *       dead-letter list).</li>
 *   <li>{@code <queue>:dead} — the dead-letter list: one JSON entry per job given up on, with the error.</li>
 *   <li>{@code <queue>:result:<job id>} — a job's result (JSON), with an expiry.</li>
 * </ul>
 *
 * @param queue the list jobs are taken from
 */
public record QueueKeys(String queue) {

    /** Validates. */
    public QueueKeys {
        Objects.requireNonNull(queue, "queue");
    }

    /**
     * @param worker a worker id
     * @return its processing list
     */
    public String processing(String worker) {
        return processingPrefix() + worker;
    }

    /**
     * @return the prefix of every processing list
     */
    public String processingPrefix() {
        return queue + ":processing:";
    }

    /**
     * @param worker a worker id
     * @return its lease key
     */
    public String lease(String worker) {
        return leasePrefix() + worker;
    }

    /**
     * @return the prefix of every lease key
     */
    public String leasePrefix() {
        return queue + ":lease:";
    }

    /**
     * @return the set of registered workers
     */
    public String workers() {
        return queue + ":workers";
    }

    /**
     * @return the hash of delivery counts by job id
     */
    public String deliveries() {
        return queue + ":deliveries";
    }

    /**
     * @return the dead-letter list
     */
    public String dead() {
        return queue + ":dead";
    }

    /**
     * @param jobId a job id
     * @return where its result is stored
     */
    public String result(String jobId) {
        return queue + ":result:" + jobId;
    }
}
