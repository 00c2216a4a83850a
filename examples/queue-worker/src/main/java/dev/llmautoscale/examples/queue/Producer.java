package dev.llmautoscale.examples.queue;

import dev.llmautoscale.examples.settings.SettingsException;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code produce} command: pushes jobs in the documented format ({@link Job}) onto the queue, for demos and tests,
 * and optionally waits for their results on a reply list.
 */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = {"Push jobs onto the queue (LPUSH, FIFO for the workers). Redis and the queue come from "
                + "REDIS_HOST, REDIS_PORT, REDIS_PASSWORD and QUEUE_NAME, as for the worker."})
final class Producer implements Callable<Integer> {

    @Option(names = "--count", description = "jobs to push (default ${DEFAULT-VALUE})", defaultValue = "1")
    int count;

    @Option(names = "--id-prefix", description = "job ids are PREFIX0, PREFIX1, ... (default ${DEFAULT-VALUE})",
            defaultValue = "job-")
    String idPrefix;

    @Option(names = "--first", description = "number of the first id (default ${DEFAULT-VALUE})", defaultValue = "0")
    int first;

    @Option(names = "--model", description = "the model (default: the worker's first MODEL_NAME)")
    String model;

    @Option(names = "--prompt", description = "the prompt (default ${DEFAULT-VALUE})",
            defaultValue = "Tell me about autoscaling.")
    String prompt;

    @Option(names = "--max-tokens", description = "output tokens per job (default ${DEFAULT-VALUE})",
            defaultValue = "16")
    int maxTokens;

    @Option(names = "--reply-to", description = "a list each result is also pushed onto")
    String replyTo;

    @Option(names = "--raw", description = "push this text as one job, as is (to try a malformed job)")
    String raw;

    @Option(names = "--wait", description = "wait for --count results on --reply-to and report jobs/s")
    boolean await;

    @Option(names = "--timeout", description = "with --wait: seconds to wait (default ${DEFAULT-VALUE})",
            defaultValue = "300")
    int timeoutSeconds;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        WorkerSettings settings;
        try {
            settings = WorkerSettings.from(System::getenv);
        } catch (SettingsException e) {
            System.err.println("produce: " + e.getMessage());
            return 2;
        }
        if (count < 1 || maxTokens < 1 || await && replyTo == null) {
            System.err.println("produce: --count and --max-tokens must be >= 1, and --wait needs --reply-to");
            return 2;
        }
        RedisURI.Builder uri = RedisURI.builder().withHost(settings.redisHost()).withPort(settings.redisPort())
                .withTimeout(Duration.ofSeconds(10));
        if (settings.redisPassword() != null) {
            uri.withPassword(settings.redisPassword().toCharArray());
        }
        RedisClient client = RedisClient.create(uri.build());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            RedisCommands<String, String> redis = c.sync();
            long t0 = System.nanoTime();
            if (raw != null) {
                redis.lpush(settings.queue(), raw);
                out.println("produce: pushed 1 raw job to " + settings.queue());
                return 0;
            }
            List<String> batch = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                batch.add(new Job(idPrefix + (first + i), model, prompt, maxTokens, replyTo,
                        System.currentTimeMillis()).toJson());
                if (batch.size() == 500 || i == count - 1) {
                    redis.lpush(settings.queue(), batch.toArray(String[]::new));
                    batch.clear();
                }
            }
            out.printf(Locale.ROOT, "produce: pushed %d jobs to %s in %d ms%n", count, settings.queue(),
                    (System.nanoTime() - t0) / 1_000_000);
            if (!await) {
                return 0;
            }
            Set<String> ids = new HashSet<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
            while (ids.size() < count && System.nanoTime() < deadline) {
                KeyValue<String, String> kv = redis.blpop(1, replyTo);
                if (kv != null) {
                    String id = Job.idOf(kv.getValue());
                    if (id != null) {
                        ids.add(id);
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            out.printf(Locale.ROOT, "produce: %d of %d results in %.2f s (%.1f jobs/s)%n", ids.size(), count,
                    seconds, ids.size() / seconds);
            return ids.size() == count ? 0 : 1;
        } catch (io.lettuce.core.RedisException e) {
            System.err.println("produce: Redis at " + settings.redisAddress() + ": " + e.getMessage());
            return 1;
        } finally {
            client.shutdown();
        }
    }
}
