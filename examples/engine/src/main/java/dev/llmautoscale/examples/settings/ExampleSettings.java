package dev.llmautoscale.examples.settings;

import dev.llmautoscale.examples.engine.EngineConfig;
import dev.llmautoscale.examples.engine.ModelCache;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Everything the example servers read from their environment. Names and defaults follow the guide where it has them
 * ({@code MODEL_NAME}, {@code MAX_BATCH_SIZE} 8, {@code MAX_CONCURRENT_REQUESTS} 32, ports 8000 and 8001).
 *
 * @param models {@code MODEL_NAME}: one model, or several separated by commas (the guide's multi-model case)
 * @param port {@code PORT}: the API, probes and {@code /active_requests}
 * @param metricsPort {@code METRICS_PORT}: {@code /metrics} for Prometheus
 * @param maxConcurrentRequests {@code MAX_CONCURRENT_REQUESTS}: requests admitted at once (running in the engine
 *     or waiting there for a batch slot)
 * @param queueCapacity {@code QUEUE_CAPACITY}: requests that may wait for admission; beyond, 429
 * @param maxQueueWait {@code MAX_QUEUE_WAIT_SECONDS}: the longest wait for admission; beyond, 429
 * @param preDrainDelay {@code PRE_DRAIN_DELAY_SECONDS}: after SIGTERM, not ready but still serving
 * @param drainTimeout {@code DRAIN_TIMEOUT_SECONDS}: the longest wait for in-flight requests after the delay
 * @param shutdownLinger {@code SHUTDOWN_LINGER_SECONDS}: after the drain, how long the probes and
 *     {@code /active_requests} keep answering (so a polling preStop loop sees the final 0) before the server stops
 * @param engine the simulated engine: {@code MAX_BATCH_SIZE}, {@code PREFILL_MS_PER_TOKEN},
 *     {@code DECODE_MS_PER_TOKEN}, {@code BATCH_SLOWDOWN}, {@code KV_CACHE_TOKENS}, {@code MAX_MODEL_LEN},
 *     {@code MODEL_LOAD_SECONDS}
 * @param modelCache {@code MODEL_DIR} (unset: no cache) and {@code MODEL_FETCH_SECONDS}: where models are cached and
 *     how long the simulated download of an uncached model takes before its load
 * @param drainTriggerFile {@code DRAIN_TRIGGER_FILE}: the file whose appearance drains the server (the guide's preStop
 *     {@code touch /tmp/shutdown}); {@code off}: none ({@code null})
 */
public record ExampleSettings(
        List<String> models,
        int port,
        int metricsPort,
        int maxConcurrentRequests,
        int queueCapacity,
        Duration maxQueueWait,
        Duration preDrainDelay,
        Duration drainTimeout,
        Duration shutdownLinger,
        EngineConfig engine,
        ModelCache modelCache,
        String drainTriggerFile) {

    /** The variables read, with their defaults, in the order documented. */
    public static final Map<String, String> DEFAULTS = defaults();

    /** Validates and copies. */
    public ExampleSettings {
        models = List.copyOf(models);
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(modelCache, "modelCache");
    }

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("MODEL_NAME", "llama-2-13b-chat");
        d.put("PORT", "8000");
        d.put("METRICS_PORT", "8001");
        d.put("MAX_BATCH_SIZE", "8");
        d.put("MAX_CONCURRENT_REQUESTS", "32");
        d.put("QUEUE_CAPACITY", "64");
        d.put("MAX_QUEUE_WAIT_SECONDS", "30");
        d.put("PREFILL_MS_PER_TOKEN", "0.5");
        d.put("DECODE_MS_PER_TOKEN", "25");
        d.put("BATCH_SLOWDOWN", "0.05");
        d.put("KV_CACHE_TOKENS", "16384");
        d.put("MAX_MODEL_LEN", "4096");
        d.put("MODEL_LOAD_SECONDS", "5");
        d.put("MODEL_DIR", "");
        d.put("MODEL_FETCH_SECONDS", "30");
        d.put("DRAIN_TRIGGER_FILE", "/tmp/shutdown");
        d.put("PRE_DRAIN_DELAY_SECONDS", "5");
        d.put("DRAIN_TIMEOUT_SECONDS", "60");
        d.put("SHUTDOWN_LINGER_SECONDS", "2");
        return Collections.unmodifiableMap(d);
    }

    /**
     * Reads the settings.
     *
     * @param lookup a variable's value by name, {@code null} when unset ({@code System::getenv}, or a Spring
     *     {@code Environment::getProperty})
     * @return the settings
     * @throws SettingsException naming the first bad variable, its value and what is expected
     */
    public static ExampleSettings from(Function<String, String> lookup) {
        Reader r = new Reader(lookup);
        List<String> models = r.models("MODEL_NAME");
        int port = r.port("PORT");
        int metricsPort = r.port("METRICS_PORT");
        if (port == metricsPort && port != 0) {
            throw new SettingsException("PORT and METRICS_PORT must differ, both are " + port);
        }
        int maxBatch = r.integer("MAX_BATCH_SIZE", 1);
        int maxConcurrent = r.integer("MAX_CONCURRENT_REQUESTS", 1);
        int queue = r.integer("QUEUE_CAPACITY", 0);
        Duration maxWait = r.seconds("MAX_QUEUE_WAIT_SECONDS");
        int maxModelLen = r.integer("MAX_MODEL_LEN", 2);
        int kv = r.integer("KV_CACHE_TOKENS", 1);
        if (kv < maxModelLen) {
            throw new SettingsException("KV_CACHE_TOKENS (" + kv + ") must be at least MAX_MODEL_LEN (" + maxModelLen
                    + "), or a request of full context length could never run");
        }
        EngineConfig engine = new EngineConfig(maxBatch, r.decimal("PREFILL_MS_PER_TOKEN"),
                r.decimal("DECODE_MS_PER_TOKEN"), r.decimal("BATCH_SLOWDOWN"), kv, maxModelLen,
                r.seconds("MODEL_LOAD_SECONDS"));
        return new ExampleSettings(models, port, metricsPort, maxConcurrent, queue, maxWait,
                r.seconds("PRE_DRAIN_DELAY_SECONDS"), r.seconds("DRAIN_TIMEOUT_SECONDS"),
                r.seconds("SHUTDOWN_LINGER_SECONDS"), engine, r.modelCache("MODEL_DIR", "MODEL_FETCH_SECONDS"),
                r.triggerFile("DRAIN_TRIGGER_FILE"));
    }

    /**
     * Reads the settings from the process environment.
     *
     * @return the settings
     * @throws SettingsException naming the first bad variable
     */
    public static ExampleSettings fromEnvironment() {
        return from(System::getenv);
    }

    /**
     * @return the time Kubernetes must give the pod after SIGTERM: pre-drain delay + drain timeout + linger
     */
    public Duration shutdownBudget() {
        return preDrainDelay.plus(drainTimeout).plus(shutdownLinger);
    }

    private static final class Reader {
        private final Function<String, String> lookup;

        Reader(Function<String, String> lookup) {
            this.lookup = Objects.requireNonNull(lookup, "lookup");
        }

        String raw(String name) {
            String v = lookup.apply(name);
            if (v == null || v.isBlank()) {
                return DEFAULTS.get(name);
            }
            return v.trim();
        }

        String triggerFile(String name) {
            String v = raw(name);
            if (v.equalsIgnoreCase("off")) {
                return null;
            }
            if (!v.startsWith("/")) {
                throw new SettingsException(name + " must be an absolute file path or 'off', got '" + v + "'");
            }
            return v;
        }

        ModelCache modelCache(String dirName, String fetchName) {
            Duration fetch = seconds(fetchName);
            String v = raw(dirName);
            if (v.isEmpty()) {
                return ModelCache.none();
            }
            try {
                Path dir = Path.of(v);
                if (!dir.isAbsolute()) {
                    throw new SettingsException(dirName + " must be an absolute directory path, got '" + v + "'");
                }
                return ModelCache.at(dir, fetch);
            } catch (InvalidPathException e) {
                throw new SettingsException(dirName + " is not a valid path: '" + v + "' (" + e.getReason() + ")");
            }
        }

        List<String> models(String name) {
            String v = raw(name);
            List<String> out = new ArrayList<>();
            for (String part : v.split(",")) {
                String m = part.trim();
                if (m.isEmpty()) {
                    throw new SettingsException(name + " has an empty model name in '" + v
                            + "'; expected one name or several separated by commas");
                }
                if (out.contains(m)) {
                    throw new SettingsException(name + " lists model '" + m + "' twice: '" + v + "'");
                }
                out.add(m);
            }
            return out;
        }

        int integer(String name, int min) {
            String v = raw(name);
            try {
                int i = Integer.parseInt(v);
                if (i >= min) {
                    return i;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new SettingsException(name + " must be an integer >= " + min + ", got '" + v + "'");
        }

        int port(String name) {
            String v = raw(name);
            try {
                int i = Integer.parseInt(v);
                if (i >= 0 && i <= 65535) {
                    return i;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new SettingsException(name + " must be a TCP port 0-65535 (0 picks a free one), got '" + v + "'");
        }

        double decimal(String name) {
            String v = raw(name);
            try {
                double d = Double.parseDouble(v);
                if (d >= 0 && !Double.isInfinite(d)) {
                    return d;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new SettingsException(name + " must be a number >= 0, got '" + v + "'");
        }

        Duration seconds(String name) {
            String v = raw(name);
            try {
                double d = Double.parseDouble(v);
                if (d >= 0 && d <= 86_400) {
                    return Duration.ofNanos(Math.round(d * 1e9));
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new SettingsException(name + " must be a number of seconds between 0 and 86400 (decimals allowed),"
                    + " got '" + v + "'");
        }
    }
}
