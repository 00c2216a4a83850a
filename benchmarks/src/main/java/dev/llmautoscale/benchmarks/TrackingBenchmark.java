package dev.llmautoscale.benchmarks;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.admission.AdmissionLimits;
import dev.llmautoscale.gpu.GpuTelemetryOptions;
import dev.llmautoscale.tracking.InferenceSpan;
import dev.llmautoscale.tracking.InferenceTracker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one tracked inference (start, prompt tokens, first token, 8 output tokens, success) against the bare
 * Micrometer calls the tracker makes for it, on the same registry type, at 1 and 2 threads.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar TrackingBenchmark -prof gc}. Compare
 * {@code tracked*} with {@code bare*} of the same thread count: the target is at most 1.3x, and one allocation per
 * request (the span, which is never reused so that a late call on it cannot touch another request).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class TrackingBenchmark {

    private static final String MODEL = "llama-13b";
    private static final int OUTPUT_TOKENS = 8;

    /** Whether admission control (global and model slots, taken lock-free) is on for the tracked path. */
    @Param({"false", "true"})
    public boolean admission;

    private InferenceTracker tracker;

    // The bare Micrometer equivalent of what the tracker records per request.
    private AtomicInteger running;
    private Counter success;
    private Timer duration;
    private Timer queueTime;
    private Timer timeToFirstToken;
    private Timer timePerOutputToken;
    private Counter promptTokens;
    private Counter generationTokens;

    /** Builds both paths on separate registries of the same kind. */
    @Setup(Level.Trial)
    public void setUp() {
        PrometheusMeterRegistry trackedRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        LlmAutoscale autoscale = LlmAutoscale.builder(trackedRegistry)
                .gpu(GpuTelemetryOptions.defaults().withEnabled(false))
                .admission(AdmissionLimits.builder().enabled(admission).maxConcurrency(64).queueCapacity(64)
                        .maxQueueWait(Duration.ofSeconds(5)).build())
                .build();
        autoscale.lifecycle().warmUp();
        tracker = autoscale.tracker();

        PrometheusMeterRegistry bare = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        running = new AtomicInteger();
        Gauge.builder("bare.running", running, AtomicInteger::get).register(bare);
        success = Counter.builder("bare.requests").tag("model", MODEL).tag("status", "success").register(bare);
        duration = Timer.builder("bare.duration").tag("model", MODEL)
                .serviceLevelObjectives(seconds(0.1, 0.5, 1, 2, 5, 10, 30, 60)).register(bare);
        queueTime = Timer.builder("bare.queue").tag("model", MODEL)
                .serviceLevelObjectives(seconds(0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120,
                        240, 480, 960, 1920, 7680)).register(bare);
        timeToFirstToken = Timer.builder("bare.ttft").tag("model", MODEL)
                .serviceLevelObjectives(seconds(0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1,
                        2.5, 5, 7.5, 10, 20, 40, 80, 160, 640, 2560)).register(bare);
        timePerOutputToken = Timer.builder("bare.tpot").tag("model", MODEL)
                .serviceLevelObjectives(seconds(0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1,
                        2.5, 5, 7.5, 10, 20, 40, 80)).register(bare);
        promptTokens = Counter.builder("bare.prompt").tag("model", MODEL).register(bare);
        generationTokens = Counter.builder("bare.generation").tag("model", MODEL).register(bare);
    }

    private static Duration[] seconds(double... values) {
        Duration[] out = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
        }
        return out;
    }

    /** One tracked inference, one thread. */
    @Benchmark
    @Threads(1)
    public long tracked1() {
        return tracked();
    }

    /** The bare Micrometer calls, one thread. */
    @Benchmark
    @Threads(1)
    public long bare1() {
        return bare();
    }

    /** One tracked inference, two threads. */
    @Benchmark
    @Threads(2)
    public long tracked2() {
        return tracked();
    }

    /** The bare Micrometer calls, two threads. */
    @Benchmark
    @Threads(2)
    public long bare2() {
        return bare();
    }

    private long tracked() {
        try (InferenceSpan span = tracker.start(MODEL)) {
            span.promptTokens(16);
            for (int i = 0; i < OUTPUT_TOKENS; i++) {
                span.tokens(1);
            }
            span.success();
            return span.outputTokens();
        }
    }

    private long bare() {
        long start = System.nanoTime();
        running.incrementAndGet();
        queueTime.record(0, TimeUnit.NANOSECONDS);
        promptTokens.increment(16);
        long first = 0;
        for (int i = 0; i < OUTPUT_TOKENS; i++) {
            if (first == 0) {
                first = System.nanoTime();
                timeToFirstToken.record(first - start, TimeUnit.NANOSECONDS);
            }
            generationTokens.increment(1);
        }
        long end = System.nanoTime();
        timePerOutputToken.record((end - first) / (OUTPUT_TOKENS - 1), TimeUnit.NANOSECONDS);
        running.decrementAndGet();
        success.increment();
        duration.record(end - start, TimeUnit.NANOSECONDS);
        return OUTPUT_TOKENS;
    }
}
