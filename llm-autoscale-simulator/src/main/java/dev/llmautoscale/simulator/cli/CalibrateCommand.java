package dev.llmautoscale.simulator.cli;

import dev.llmautoscale.simulator.advisor.calibrate.Calibration;
import dev.llmautoscale.simulator.advisor.calibrate.Calibrator;
import dev.llmautoscale.simulator.advisor.calibrate.LoadgenRun;
import dev.llmautoscale.simulator.advisor.calibrate.Scrape;
import dev.llmautoscale.simulator.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code calibrate}: a fleet file fitted to a real server. */
@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = "Fits the fleet model to a real server from a load generator run (its --csv) and the"
                + " server's /metrics scraped before and after: per-token decode time and its growth with the"
                + " batch, prefill time per prompt token, model load and warm-up time (llm_warmup_duration_seconds)."
                + " Writes a fleet file for run, compare and recommend.")
final class CalibrateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--csv", required = true, paramLabel = "FILE", description = "The load generator's CSV.")
    Path csv;

    @Option(names = "--metrics-before", required = true, paramLabel = "FILE", description = "/metrics before the run.")
    Path before;

    @Option(names = "--metrics-after", required = true, paramLabel = "FILE", description = "/metrics after the run.")
    Path after;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the fleet file here (default: stdout).")
    Path out;

    @Option(names = "--model", defaultValue = "llama-2-13b-chat", description = "MODEL_NAME (default ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--max-concurrency", defaultValue = "32", description = "The server's MAX_CONCURRENT_REQUESTS"
            + " (default ${DEFAULT-VALUE}).")
    int maxConcurrency;

    @Option(names = "--queue-capacity", defaultValue = "64", description = "QUEUE_CAPACITY (default ${DEFAULT-VALUE}).")
    int queueCapacity;

    @Option(names = "--max-queue-wait", defaultValue = "30", paramLabel = "SECONDS", description =
            "MAX_QUEUE_WAIT_SECONDS (default ${DEFAULT-VALUE}).")
    double maxQueueWait;

    @Option(names = "--max-batch-size", defaultValue = "8", description = "MAX_BATCH_SIZE (default ${DEFAULT-VALUE}).")
    int maxBatchSize;

    @Override
    public Integer call() throws Exception {
        if (maxConcurrency < 1 || queueCapacity < 0 || maxBatchSize < 1 || !(maxQueueWait >= 0)) {
            throw new ConfigException("(command line)", "--max-concurrency/--queue-capacity/--max-batch-size/"
                    + "--max-queue-wait", "allowed: concurrency and batch >= 1, queue and wait >= 0");
        }
        Calibration c = Calibrator.fit(LoadgenRun.read(csv), Scrape.read(before), Scrape.read(after),
                new Calibrator.ServerSettings(model, maxConcurrency, queueCapacity, maxQueueWait, maxBatchSize));
        if (out != null) {
            Files.writeString(out, c.fleetYaml(), StandardCharsets.UTF_8);
        } else {
            spec.commandLine().getOut().print(c.fleetYaml());
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
