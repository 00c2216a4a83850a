package dev.llmautoscale.examples.queue;

import dev.llmautoscale.examples.settings.ExampleSettings;
import dev.llmautoscale.examples.settings.SettingsException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * What the queue worker reads from its environment beside the {@link ExampleSettings} it shares with the example
 * servers ({@code MODEL_NAME}, {@code PORT}, {@code METRICS_PORT}, {@code MAX_CONCURRENT_REQUESTS}, the engine timings,
 * {@code DRAIN_TIMEOUT_SECONDS}, ...).
 *
 * @param server the shared settings; {@code MAX_CONCURRENT_REQUESTS} is the number of jobs in hand at once and
 *     {@code PRE_DRAIN_DELAY_SECONDS} defaults to 0 (no load balancer has to forget a worker)
 * @param redisHost {@code REDIS_HOST}: the Redis host, or {@code host:port} (the form KEDA's {@code addressFromEnv}
 *     reads from the same variable)
 * @param redisPort {@code REDIS_PORT}: the port when {@code REDIS_HOST} names none (6379)
 * @param redisPassword {@code REDIS_PASSWORD}: optional
 * @param queue {@code QUEUE_NAME}: the list jobs are taken from ({@code inference_queue}); every other key of the worker
 *     starts with it (see {@link QueueKeys})
 * @param resultTtl {@code RESULT_TTL_SECONDS}: how long a result stays under its job id (3600)
 * @param maxAttempts {@code MAX_ATTEMPTS}: how many times a job may be taken before it is dead-lettered (3)
 * @param lease {@code LEASE_SECONDS}: a worker whose heartbeat key is older than this is dead and its jobs are put
 *     back (15; the heartbeat renews it every third of it)
 * @param maxJobBytes {@code MAX_JOB_BYTES}: larger jobs are dead-lettered unread (1048576)
 * @param workerId {@code WORKER_ID}: the name of this worker's keys; default {@code HOSTNAME} (the pod name) plus a
 *     random suffix, unique per process so that a restarted container never shares keys with its dead predecessor
 */
public record WorkerSettings(
        ExampleSettings server,
        String redisHost,
        int redisPort,
        String redisPassword,
        String queue,
        Duration resultTtl,
        int maxAttempts,
        Duration lease,
        int maxJobBytes,
        String workerId) {

    /** The worker's own variables, with their defaults. */
    public static final Map<String, String> DEFAULTS = defaults();

    /** Validates. */
    public WorkerSettings {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(redisHost, "redisHost");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(workerId, "workerId");
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("REDIS_HOST", "localhost");
        d.put("REDIS_PORT", "6379");
        d.put("QUEUE_NAME", "inference_queue");
        d.put("RESULT_TTL_SECONDS", "3600");
        d.put("MAX_ATTEMPTS", "3");
        d.put("LEASE_SECONDS", "15");
        d.put("MAX_JOB_BYTES", "1048576");
        return Collections.unmodifiableMap(d);
    }

    /**
     * Reads the settings.
     *
     * @param lookup a variable's value by name, {@code null} when unset
     * @return the settings
     * @throws SettingsException naming the first bad variable, its value and what is expected
     */
    public static WorkerSettings from(Function<String, String> lookup) {
        Objects.requireNonNull(lookup, "lookup");
        ExampleSettings server = ExampleSettings.from(name -> {
            String v = lookup.apply(name);
            return "PRE_DRAIN_DELAY_SECONDS".equals(name) && (v == null || v.isBlank()) ? "0" : v;
        });
        Function<String, String> raw = name -> {
            String v = lookup.apply(name);
            return v == null || v.isBlank() ? DEFAULTS.get(name) : v.trim();
        };
        String host = raw.apply("REDIS_HOST");
        int port = integer(raw, "REDIS_PORT", 1, 65535);
        int colon = host.lastIndexOf(':');
        if (colon >= 0 && host.indexOf(']') < colon) {
            String p = host.substring(colon + 1);
            try {
                port = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw new SettingsException("REDIS_HOST must be a host or host:port with a port 1-65535, got '"
                        + host + "'");
            }
            host = host.substring(0, colon);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            throw new SettingsException("REDIS_HOST names no host: '" + raw.apply("REDIS_HOST") + "'");
        }
        String queue = raw.apply("QUEUE_NAME");
        if (!queue.matches("[A-Za-z0-9_.:-]{1,100}")) {
            throw new SettingsException("QUEUE_NAME must be 1-100 letters, digits or _ . : -, got '" + queue + "'");
        }
        String id = lookup.apply("WORKER_ID");
        if (id == null || id.isBlank()) {
            String hostname = lookup.apply("HOSTNAME");
            id = (hostname == null || hostname.isBlank() ? "worker" : hostname.trim()) + "-"
                    + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
        } else if (!id.trim().matches("[A-Za-z0-9_.:-]{1,100}")) {
            throw new SettingsException("WORKER_ID must be 1-100 letters, digits or _ . : -, got '" + id + "'");
        }
        String password = lookup.apply("REDIS_PASSWORD");
        return new WorkerSettings(server, host, port, password == null || password.isEmpty() ? null : password,
                queue, Duration.ofSeconds(integer(raw, "RESULT_TTL_SECONDS", 1, 30 * 86_400)),
                integer(raw, "MAX_ATTEMPTS", 1, 100), Duration.ofSeconds(integer(raw, "LEASE_SECONDS", 1, 3600)),
                integer(raw, "MAX_JOB_BYTES", 64, 64 * 1024 * 1024), id.trim());
    }

    private static int integer(Function<String, String> raw, String name, int min, int max) {
        String v = raw.apply(name);
        try {
            int i = Integer.parseInt(v);
            if (i >= min && i <= max) {
                return i;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new SettingsException(name + " must be an integer from " + min + " to " + max + ", got '" + v + "'");
    }

    /**
     * @return the Redis address as {@code host:port}
     */
    public String redisAddress() {
        return (redisHost.contains(":") ? "[" + redisHost + "]" : redisHost) + ":" + redisPort;
    }
}
