package dev.llmautoscale.benchmarks.nvml;

import dev.llmautoscale.gpu.GpuTelemetryOptions;
import dev.llmautoscale.nvml.NvmlGpuTelemetry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a scrape pays for GPU metrics (reading the last NVML snapshot) against what one native sweep costs (every
 * NVML call for every device, through JNA), for the {@code llm-autoscale-nvml} telemetry.
 *
 * <p>A driver must answer: the fake {@code libnvidia-ml} that the nvml module's test build compiles (set
 * {@code -Djna.library.path} to its {@code target/fake-nvml} and the environment variable {@code FAKE_NVML_CONTROL}
 * to a writable file: this class writes a scenario with {@link #gpus} GPUs there), or a real NVIDIA driver when
 * {@code FAKE_NVML_CONTROL} is unset.
 * The exact command is in docs/PERFORMANCE.md, section "llm-autoscale-nvml".
 *
 * <p>{@code nativeSweep} calls {@code NvmlGpuTelemetry.sampleNow()}, the method the sampling thread runs once per
 * interval; the other benchmarks are what scrapes and the core's {@code llm_gpu_memory_used_bytes} gauge do, and
 * never reach native code.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class NvmlTelemetryBenchmark {

    /** Number of GPUs the fake driver reports (ignored with a real driver). */
    @Param({"1", "8"})
    public int gpus;

    private NvmlGpuTelemetry telemetry;
    private PrometheusMeterRegistry registry;
    private Gauge memoryUsedGauge;

    /** Scripts the fake driver (when used), opens the telemetry and binds it to a registry of its own. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        String control = System.getenv("FAKE_NVML_CONTROL");
        if (control != null) {
            writeScenario(Paths.get(control), gpus);
        }
        // A sampling interval far beyond the run: only the benchmark's own sweeps call the driver.
        GpuTelemetryOptions options = GpuTelemetryOptions.defaults().withSamplingInterval(Duration.ofHours(1));
        telemetry = NvmlGpuTelemetry.open(options).orElseThrow(() -> new IllegalStateException(
                "No GPU telemetry opened: point -Djna.library.path at llm-autoscale-nvml/target/fake-nvml with "
                        + "FAKE_NVML_CONTROL set (see docs/PERFORMANCE.md), or run on a machine with an NVIDIA driver"));
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        telemetry.bindTo(registry);
        memoryUsedGauge = registry.get("llm.gpu.device.memory.used").gauge();
    }

    /** Closes the telemetry (nvmlShutdown). */
    @TearDown(Level.Trial)
    public void tearDown() {
        telemetry.close();
    }

    /** One GPU gauge read by a scrape: a volatile load of the snapshot and an array access. */
    @Benchmark
    public double gaugeRead() {
        return memoryUsedGauge.value();
    }

    /** The sum behind the core's {@code llm_gpu_memory_used_bytes}: precomputed per snapshot. */
    @Benchmark
    public double memoryUsedBytes() {
        return telemetry.memoryUsedBytes();
    }

    /** A whole Prometheus scrape of a registry holding only the GPU meters (text formatting included). */
    @Benchmark
    public String scrapeGpuMeters() {
        return registry.scrape();
    }

    /** One native sweep over every device (what the sampler thread does once per interval). */
    @Benchmark
    public boolean nativeSweep() {
        return telemetry.sampleNow();
    }

    private static void writeScenario(Path control, int gpus) throws IOException {
        StringBuilder text = new StringBuilder("driver=550.54.15\ncount=").append(gpus).append('\n');
        for (int i = 0; i < gpus; i++) {
            String p = "gpu" + i + ".";
            text.append(p).append("name=NVIDIA H100 80GB HBM3\n")
                    .append(p).append(String.format("uuid=GPU-%08x-0000-4000-8000-%012x%n", i, i))
                    .append(p).append("mem.total=85520809984\n")
                    .append(p).append("mem.reserved=551550976\n")
                    .append(p).append("mem.free=60129542144\n")
                    .append(p).append("mem.used=").append(24_839_716_864L + i).append('\n')
                    .append(p).append("util.gpu=87\n").append(p).append("util.memory=41\n")
                    .append(p).append("temp=65\n").append(p).append("power=312500\n");
        }
        Path parent = control.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, "control", ".tmp");
        Files.writeString(temp, text);
        Files.move(temp, control, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
