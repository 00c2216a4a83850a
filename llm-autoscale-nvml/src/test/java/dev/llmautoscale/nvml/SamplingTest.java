package dev.llmautoscale.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.gpu.GpuTelemetryOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Scrapes read the snapshot: one native sweep per interval, whatever the number of concurrent scrapes. */
class SamplingTest {

    private static final int SCRAPERS = 8;

    @Test
    void scrapesNeverCallTheDriver() throws Exception {
        FakeNvml.twoGpus().apply();
        try (NvmlGpuTelemetry telemetry = NvmlGpuTelemetry.open(NvmlGpuTelemetryTest.MANUAL,
                NvmlEnvironment.of(Map.of())).orElseThrow()) {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            telemetry.bindTo(registry);
            long before = FakeNvml.control().fake_nvml_calls(null);
            long scrapes = scrapeConcurrently(telemetry, registry, Duration.ofMillis(500));
            assertThat(scrapes).isGreaterThan(SCRAPERS);
            assertThat(FakeNvml.control().fake_nvml_calls(null)).as("device queries during %d scrapes", scrapes)
                    .isEqualTo(before);
            assertThat(telemetry.sweepCount()).isEqualTo(1);
        }
    }

    @Test
    void oneSweepPerIntervalUnderConcurrentScrapes() throws Exception {
        FakeNvml.twoGpus().apply();
        FakeNvml.control().fake_nvml_reset();
        Duration interval = Duration.ofMillis(100);
        Duration run = Duration.ofMillis(1_500);
        long opened = System.nanoTime();
        NvmlGpuTelemetry telemetry = NvmlGpuTelemetry.open(
                GpuTelemetryOptions.defaults().withSamplingInterval(interval), NvmlEnvironment.of(Map.of()))
                .orElseThrow();
        try {
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            telemetry.bindTo(registry);
            long scrapes = scrapeConcurrently(telemetry, registry, run);
            telemetry.close();
            long elapsed = System.nanoTime() - opened;

            long sweeps = telemetry.sweepCount();
            // Fixed-delay scheduling: at most one sweep per elapsed interval, plus the one at open.
            assertThat(sweeps).isBetween(3L, elapsed / interval.toNanos() + 1);
            assertThat(scrapes).isGreaterThan(10 * sweeps);
            // Exactly one memory call per device and sweep: the scrapes added none.
            assertThat(FakeNvml.control().fake_nvml_calls("nvmlDeviceGetMemoryInfo_v2")).isEqualTo(2 * sweeps);
            assertThat(FakeNvml.control().fake_nvml_calls("nvmlDeviceGetUtilizationRates")).isEqualTo(2 * sweeps);
            assertThat(FakeNvml.control().fake_nvml_calls("nvmlDeviceGetPowerUsage")).isEqualTo(2 * sweeps);
        } finally {
            telemetry.close();
        }
    }

    /** Runs SCRAPERS threads that scrape, read the sum and the health until {@code run} elapses. */
    private static long scrapeConcurrently(NvmlGpuTelemetry telemetry, PrometheusMeterRegistry registry,
            Duration run) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(SCRAPERS);
        AtomicLong scrapes = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        long end = System.nanoTime() + run.toNanos();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < SCRAPERS; i++) {
            futures.add(pool.submit(() -> {
                start.await();
                while (System.nanoTime() < end) {
                    String text = registry.scrape();
                    assertThat(text).contains("llm_gpu_device_memory_used_bytes");
                    assertThat(telemetry.memoryUsedBytes()).isPositive();
                    assertThat(telemetry.health().healthy()).isTrue();
                    scrapes.incrementAndGet();
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : futures) {
            future.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        return scrapes.get();
    }
}
