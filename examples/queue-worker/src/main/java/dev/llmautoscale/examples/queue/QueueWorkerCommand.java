package dev.llmautoscale.examples.queue;

import dev.llmautoscale.examples.settings.SettingsException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar queue-worker.jar [work]} runs a worker, configured by environment variables
 * ({@link WorkerSettings}); {@code java -jar queue-worker.jar produce ...} pushes jobs ({@link Producer}).
 */
@Command(name = "queue-worker", mixinStandardHelpOptions = true,
        description = {"Takes inference jobs from the Redis list inference_queue (QUEUE_NAME), runs them on the "
                + "SIMULATED engine through llm-autoscale's tracker and stores each result under its job id.",
            "Without a command: work. Configuration by environment: REDIS_HOST (host or host:port), REDIS_PORT, "
                + "MODEL_NAME, MAX_CONCURRENT_REQUESTS, PORT, METRICS_PORT, DRAIN_TIMEOUT_SECONDS, LEASE_SECONDS, "
                + "MAX_ATTEMPTS, RESULT_TTL_SECONDS, MAX_JOB_BYTES, WORKER_ID (see docs/EXAMPLES.md)."},
        subcommands = {QueueWorkerCommand.Work.class, Producer.class})
public final class QueueWorkerCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        return new Work().call();
    }

    /** The {@code work} command: runs until SIGTERM, then drains. */
    @Command(name = "work", mixinStandardHelpOptions = true,
            description = "Run a worker until SIGTERM (the default command).")
    static final class Work implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            WorkerSettings settings;
            try {
                settings = WorkerSettings.from(System::getenv);
            } catch (SettingsException e) {
                System.err.println("queue-worker: " + e.getMessage());
                return 2;
            }
            WorkerApp app;
            try {
                app = WorkerApp.start(settings);
            } catch (io.lettuce.core.RedisException e) {
                System.err.println("queue-worker: cannot reach Redis at " + settings.redisAddress()
                        + " (REDIS_HOST, REDIS_PORT): " + e.getMessage());
                return 1;
            }
            app.installShutdownHook();
            // One machine-readable line, for scripts and tests that start the worker on free ports (PORT=0).
            System.out.println("queue-worker: listening http=" + app.port() + " metrics=" + app.metricsPort()
                    + " worker=" + settings.workerId() + " queue=" + settings.queue() + " redis="
                    + settings.redisAddress());
            System.out.flush();
            app.join();
            return 0;
        }
    }

    /**
     * Runs the command line and exits with its status (a worker exits when its drain is done).
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        int code = new CommandLine(new QueueWorkerCommand()).execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }
}
