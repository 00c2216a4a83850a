package dev.llmautoscale.nvml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.sun.jna.Pointer;
import dev.llmautoscale.gpu.GpuHealth;
import dev.llmautoscale.gpu.GpuTelemetryOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The telemetry end to end against the fake driver: meters, values, fallbacks, lost GPUs, MIG, lifecycle. */
class NvmlGpuTelemetryTest {

    /** Long enough that only the explicit sweeps of a test happen. */
    static final GpuTelemetryOptions MANUAL = GpuTelemetryOptions.defaults().withSamplingInterval(Duration.ofHours(1));

    private final List<String> warnings = new ArrayList<>();
    private final List<NvmlGpuTelemetry> opened = new ArrayList<>();
    private int refcountBefore;

    @BeforeEach
    void setUp() {
        refcountBefore = FakeNvml.control().fake_nvml_init_refcount();
    }

    @AfterEach
    void closeAll() {
        opened.forEach(NvmlGpuTelemetry::close);
        assertThat(FakeNvml.control().fake_nvml_init_refcount())
                .as("every nvmlInit is matched by nvmlShutdown")
                .isEqualTo(refcountBefore);
    }

    private NvmlGpuTelemetry open(GpuTelemetryOptions options, Map<String, String> env) {
        Optional<NvmlGpuTelemetry> telemetry = NvmlGpuTelemetry.open(options, NvmlEnvironment.of(env), warnings::add);
        assertThat(telemetry).as("telemetry opens; warnings: %s", warnings).isPresent();
        opened.add(telemetry.get());
        return telemetry.get();
    }

    private static Scrape scrape(NvmlGpuTelemetry telemetry) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        telemetry.bindTo(registry);
        return new Scrape(registry.scrape());
    }

    @Test
    void reportsEveryReadingPerDeviceWithIndexAndUuidLabels() {
        FakeNvml.twoGpus().apply();
        NvmlGpuTelemetry telemetry = open(MANUAL, Map.of());
        Scrape scrape = scrape(telemetry);

        String[] gpu0 = {"gpu", "0", "uuid", FakeNvml.GPU0_UUID};
        String[] gpu1 = {"gpu", "1", "uuid", FakeNvml.GPU1_UUID};
        assertThat(scrape.value("llm_gpu_device_memory_used_bytes", gpu0)).contains((double) FakeNvml.GPU0_USED);
        assertThat(scrape.value("llm_gpu_device_memory_total_bytes", gpu0)).contains((double) FakeNvml.GPU0_TOTAL);
        assertThat(scrape.value("llm_gpu_device_memory_free_bytes", gpu0)).contains((double) FakeNvml.GPU0_FREE);
        assertThat(scrape.value("llm_gpu_utilization_percent", gpu0)).contains(87.0);
        assertThat(scrape.value("llm_gpu_temperature_celsius", gpu0)).contains(65.0);
        assertThat(scrape.value("llm_gpu_power_watts", gpu0)).contains(312.5);
        assertThat(scrape.value("llm_gpu_device_memory_used_bytes", gpu1)).contains((double) FakeNvml.GPU1_USED);
        assertThat(scrape.value("llm_gpu_utilization_percent", gpu1)).contains(12.0);
        assertThat(scrape.value("llm_gpu_power_watts", gpu1)).contains(72.25);
        assertThat(scrape.value("llm_gpu_info", "gpu", "0", "uuid", FakeNvml.GPU0_UUID, "name", FakeNvml.GPU0_NAME))
                .contains(1.0);
        assertThat(scrape.value("llm_gpu_info", "gpu", "1", "name", FakeNvml.GPU1_NAME)).contains(1.0);

        // The guide's sum is the core's to register, from memoryUsedBytes().
        assertThat(scrape.has("llm_gpu_memory_used_bytes")).isFalse();
        assertThat(telemetry.memoryUsedBytes()).isEqualTo((double) (FakeNvml.GPU0_USED + FakeNvml.GPU1_USED));
        // Legacy names are off by default; no error happened: only the code an alert names is there, at 0, so that
        // increase() sees its first loss.
        assertThat(scrape.has("nvidia_gpu_memory_used_bytes")).isFalse();
        assertThat(scrape.samples("llm_gpu_nvml_errors_total")).singleElement()
                .satisfies(s -> assertThat(s.labels()).containsEntry("code", "GPU_IS_LOST"))
                .satisfies(s -> assertThat(s.value()).isZero());
        assertThat(warnings).isEmpty();

        GpuHealth health = telemetry.health();
        assertThat(health.healthy()).isTrue();
        assertThat(health.attributes()).containsEntry("driverVersion", "550.54.15").containsEntry("devices", 2)
                .containsEntry("source", "nvml");
        assertThat(telemetry.name()).isEqualTo("nvml");
    }

    @Test
    void initialisesOnceAndShutsDownOnClose() {
        FakeNvml.twoGpus().apply();
        FakeNvml.control().fake_nvml_reset();
        NvmlGpuTelemetry telemetry = open(MANUAL, Map.of());
        assertThat(FakeNvml.control().fake_nvml_init_refcount()).isEqualTo(refcountBefore + 1);
        for (int i = 0; i < 5; i++) {
            assertThat(telemetry.sampleNow()).isTrue();
        }
        assertThat(FakeNvml.control().fake_nvml_calls("nvmlInitWithFlags")).isEqualTo(1);
        assertThat(FakeNvml.control().fake_nvml_last_init_flags()).isEqualTo(NvmlLibrary.INIT_FLAG_NO_GPUS);

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        telemetry.bindTo(registry);
        telemetry.close();
        telemetry.close();
        assertThat(FakeNvml.control().fake_nvml_calls("nvmlShutdown")).isEqualTo(1);
        assertThat(FakeNvml.control().fake_nvml_init_refcount()).isEqualTo(refcountBefore);
        // Closed: no stale GPU series, no reading, no more sweeps.
        assertThat(new Scrape(registry.scrape()).has("llm_gpu_device_memory_used_bytes")).isFalse();
        assertThat(telemetry.memoryUsedBytes()).isNaN();
        assertThat(telemetry.sampleNow()).isFalse();
        assertThat(telemetry.health().healthy()).isFalse();
    }

    @Test
    void samplesOnANamedDaemonThread() throws InterruptedException {
        FakeNvml.twoGpus().apply();
        NvmlGpuTelemetry telemetry = open(GpuTelemetryOptions.defaults().withSamplingInterval(Duration.ofMillis(20)),
                Map.of());
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (telemetry.sweepCount() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(telemetry.sweepCount()).isGreaterThanOrEqualTo(3);
        assertThat(Thread.getAllStackTraces().keySet())
                .filteredOn(t -> t.getName().equals(NvmlGpuTelemetry.SAMPLER_THREAD_NAME))
                .isNotEmpty()
                .allMatch(Thread::isDaemon);
        telemetry.close();
        deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (samplerThreadAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(samplerThreadAlive()).isFalse();
    }

    private static boolean samplerThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(NvmlGpuTelemetry.SAMPLER_THREAD_NAME) && t.isAlive());
    }

    @Test
    void valuesFollowTheDriverFromSweepToSweep() {
        FakeNvml fake = FakeNvml.twoGpus();
        fake.apply();
        NvmlGpuTelemetry telemetry = open(MANUAL, Map.of());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        telemetry.bindTo(registry);

        fake.set("gpu0.util.gpu", 99).set("gpu0.mem.used", 1_000).set("gpu1.mem.used", 2_000).apply();
        // Until the next sweep, scrapes see the previous snapshot.
        assertThat(new Scrape(registry.scrape()).value("llm_gpu_utilization_percent", "gpu", "0")).contains(87.0);
        telemetry.sampleNow();
        Scrape scrape = new Scrape(registry.scrape());
        assertThat(scrape.value("llm_gpu_utilization_percent", "gpu", "0")).contains(99.0);
        assertThat(scrape.value("llm_gpu_device_memory_used_bytes", "gpu", "1")).contains(2_000.0);
        assertThat(telemetry.memoryUsedBytes()).isEqualTo(3_000.0);
    }

    @Test
    void prefersMemoryInfoV2() {
        FakeNvml.twoGpus().apply();
        FakeNvml.control().fake_nvml_reset();
        NvmlGpuTelemetry telemetry = open(MANUAL, Map.of());
        telemetry.sampleNow();
        assertThat(FakeNvml.control().fake_nvml_calls("nvmlDeviceGetMemoryInfo_v2")).isEqualTo(4);
        assertThat(FakeNvml.control().fake_nvml_calls("nvmlDeviceGetMemoryInfo")).isZero();
        assertThat(scrape(telemetry).value("llm_gpu_device_memory_used_bytes", "gpu", "0"))
                .contains((double) FakeNvml.GPU0_USED);
    }

    @Test
    void fallsBackToV1WhenV2IsNotSupported() {
        FakeNvml.twoGpus().set("gpu0.err.nvmlDeviceGetMemoryInfo_v2", 3).apply();
        NvmlGpuTelemetry telemetry = open(MANUAL, Map.of());
        telemetry.sampleNow();
        Scrape scrape = scrape(telemetry);
        // v1's used includes the reserved memory; GPU 1 still answers v2.
        assertThat(scrape.value("llm_gpu_device_memory_used_bytes", "gpu", "0"))
                .contains((double) (FakeNvml.GPU0_USED + FakeNvml.GPU0_RESERVED));
        assertThat(scrape.value("llm_gpu_device_memory_free_bytes", "gpu", "0")).contains((double) FakeNvml.GPU0_FREE);
        assertThat(scrape.value("llm_gpu_device_memory_used_bytes", "gpu", "1")).contains((double) FakeNvml.GPU1_USED);
        // Counted once: v2 is not asked again.
        assertThat(scrape.value("llm_gpu_nvml_errors_total", "code", "NOT_SUPPORTED")).contains(1.0);
        assertThat(telemetry.health().healthy()).isTrue();
    }

    @Test
    void fallsBackToV1WhenV2AnswersFunctionNotFound() {
        FakeNvml.twoGpus().set("gpu0.err.nvmlDeviceGetMemoryInfo_v2", 13)
                .set("gpu1.err.nvmlDeviceGetMemoryInfo_v2", 25).apply();
        NvmlGpuTelemetry telemetry = open(MANUAL, Map.of());
        Scrape scrape = scrape(telemetry);
        assertThat(scrape.value("llm_gpu_device_memory_used_bytes", "gpu", "0"))
                .contains((double) (FakeNvml.GPU0_USED + FakeNvml.GPU0_RESERVED));
        assertThat(scrape.value("llm_gpu_device_memory_used_bytes", "gpu", "1"))
                .contains((double) (FakeNvml.GPU1_USED + FakeNvml.GPU1_RESERVED));
        assertThat(scrape.value("llm_gpu_nvml_errors_total", "code", "FUNCTION_NOT_FOUND")).contains(1.0);
        assertThat(scrape.value("llm_gpu_nvml_errors_total", "code", "ARGUMENT_VERSION_MISMATCH")).contains(1.0);
    }

    @Test
    void fallsBackToV1WhenTheDriverLacksTheV2Symbol() {
        FakeNvml.twoGpus().apply();
        FakeNvml.legacyControl().fake_nvml_reset();
        NvmlGpuTelemetry telemetry =
                open(MANUAL, Map.of(NvmlEnvironment.LIBRARY_VARIABLE, FakeNvml.legacyLibrary()));
        telemetry.sampleNow();
        Scrape scrape = scrape(telemetry);
        assertThat(scrape.value("llm_gpu_device_memory_used_bytes", "gpu", "0"))
                .contains((double) (FakeNvml.GPU0_USED + FakeNvml.GPU0_RESERVED));
        assertThat(scrape.value("llm_gpu_device_memory_total_bytes", "gpu", "1"))
                .contains((double) FakeNvml.GPU1_TOTAL);
        assertThat(scrape.value("llm_gpu_nvml_errors_total", "code", "FUNCTION_NOT_FOUND")).contains(2.0);
        assertThat(FakeNvml.legacyControl().fake_nvml_calls("nvmlDeviceGetMemoryInfo")).isEqualTo(4);
        assertThat(telemetry.memoryUsedBytes()).isEqualTo((double) (FakeNvml.GPU0_USED + FakeNvml.GPU0_RESERVED
                + FakeNvml.GPU1_USED + FakeNvml.GPU1_RESERVED));
    }

    @Test
    void unsupportedReadingsHaveNoMeterRatherThanAMisleadingValue() {
        FakeNvml.twoGpus().remove("gpu1.power").remove("gpu1.temp")
                .set("gpu1.err.nvmlDeviceGetUtilizationRates", 3).apply();
        NvmlGpuTelemetry telemetry = open(MANUAL, Map.of());
        telemetry.sampleNow();
        Scrape scrape = scrape(telemetry);
        assertThat(scrape.value("llm_gpu_power_watts", "gpu", "1")).isEmpty();
        assertThat(scrape.value("llm_gpu_temperature_celsius", "gpu", "1")).isEmpty();
        assertThat(scrape.value("llm_gpu_utilization_percent", "gpu", "1")).isEmpty();
        assertThat(scrape.value("llm_gpu_device_memory_used_bytes", "gpu", "1")).isPresent();
        assertThat(scrape.value("llm_gpu_power_watts", "gpu", "0")).contains(312.5);
        // Counted once each, not at every sweep.
        assertThat(scrape.value("llm_gpu_nvml_errors_total", "code", "NOT_SUPPORTED")).contains(3.0);
    }

    @Test
    void aTransientErrorReadsNanAndIsCountedUntilTheReadingRecovers() {
        FakeNvml fake = FakeNvml.twoGpus();
        fake.apply();
        NvmlGpuTelemetry telemetry = open(MANUAL, Map.of());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        telemetry.bindTo(registry);

        fake.set("gpu0.err.nvmlDeviceGetTemperature", 999).apply();
        telemetry.sampleNow();
        telemetry.sampleNow();
        Scrape scrape = new Scrape(registry.scrape());
        assertThat(scrape.value("llm_gpu_temperature_celsius", "gpu", "0")).hasValueSatisfying(v -> assertThat(v).isNaN());
        assertThat(scrape.value("llm_gpu_nvml_errors_total", "code", "UNKNOWN")).contains(2.0);
        assertThat(telemetry.health().healthy()).isTrue();

        fake.remove("gpu0.err.nvmlDeviceGetTemperature").apply();
        telemetry.sampleNow();
        assertThat(new Scrape(registry.scrape()).value("llm_gpu_temperature_celsius", "gpu", "0")).contains(65.0);
    }

    @Test
    void everyBoundRegistryGetsEachErrorCodeOnce() {
        FakeNvml fake = FakeNvml.twoGpus().set("gpu1.err.nvmlDeviceGetPowerUsage", 3);
        fake.apply();
        NvmlGpuTelemetry telemetry = open(MANUAL, Map.of());
        SimpleMeterRegistry first = new SimpleMeterRegistry();
        SimpleMeterRegistry second = new SimpleMeterRegistry();
        telemetry.bindTo(first);
        telemetry.bindTo(second);
        telemetry.bindTo(second);
        // A code first seen after binding reaches both registries.
        fake.set("gpu0.err.nvmlDeviceGetTemperature", 10).apply();
        telemetry.sampleNow();
        for (SimpleMeterRegistry registry : List.of(first, second)) {
            assertThat(registry.get("llm.gpu.nvml.errors").tag("code", "NOT_SUPPORTED").functionCounter().count())
                    .isEqualTo(1.0);
            assertThat(registry.get("llm.gpu.nvml.errors").tag("code", "TIMEOUT").functionCounter().count())
                    .isEqualTo(1.0);
            // The two codes that happened, plus GPU_IS_LOST, exported at 0 from the start.
            assertThat(registry.find("llm.gpu.nvml.errors").functionCounters()).hasSize(3);
            assertThat(registry.find("llm.gpu.info").gauges()).hasSize(2);
        }
    }

    @Test
    void aGpuLostAtRunTimeLosesItsMetersIsCountedAndMakesHealthDown() {
        FakeNvml fake = FakeNvml.twoGpus();
        fake.apply();
        NvmlGpuTelemetry telemetry = open(MANUAL.withLegacyExporterNames(true), Map.of());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        telemetry.bindTo(registry);
        assertThat(new Scrape(registry.scrape()).value("llm_gpu_info", "gpu", "1")).contains(1.0);
        // Before the loss the series is already there at 0: Prometheus' increase() sees the step to 1.
        assertThat(new Scrape(registry.scrape()).value("llm_gpu_nvml_errors_total", "code", "GPU_IS_LOST"))
                .contains(0.0);

        fake.set("gpu1.lost", 1).apply();
        assertThat(telemetry.sampleNow()).isTrue();
        telemetry.sampleNow();

        Scrape scrape = new Scrape(registry.scrape());
        for (String name : List.of("llm_gpu_device_memory_used_bytes", "llm_gpu_device_memory_total_bytes",
                "llm_gpu_device_memory_free_bytes", "llm_gpu_utilization_percent", "llm_gpu_temperature_celsius",
                "llm_gpu_power_watts", "llm_gpu_info", "nvidia_gpu_memory_used_bytes",
                "nvidia_gpu_memory_total_bytes")) {
            assertThat(scrape.value(name, "gpu", "1")).as(name + " of the lost GPU").isEmpty();
            assertThat(scrape.value(name, "gpu", "0")).as(name + " of the healthy GPU").isPresent();
        }
        // Counted once: a lost device is not asked again.
        assertThat(scrape.value("llm_gpu_nvml_errors_total", "code", "GPU_IS_LOST")).contains(1.0);
        assertThat(telemetry.errorCount(NvmlReturn.GPU_IS_LOST)).isEqualTo(1);
        assertThat(telemetry.memoryUsedBytes()).isEqualTo((double) FakeNvml.GPU0_USED);

        GpuHealth health = telemetry.health();
        assertThat(health.healthy()).isFalse();
        assertThat(health.details()).singleElement().asString()
                .contains("GPU 1", FakeNvml.GPU1_UUID, "lost", "GPU_IS_LOST", "GPU is lost");
        assertThat(health.attributes()).containsEntry("lostDevices", 1);

        // A registry bound after the loss never sees the lost GPU.
        assertThat(scrape(telemetry).value("llm_gpu_info", "gpu", "1")).isEmpty();

        // Every GPU lost: the sum has no valid reading left.
        fake.set("gpu0.lost", 1).apply();
        telemetry.sampleNow();
        assertThat(telemetry.memoryUsedBytes()).isNaN();
        assertThat(telemetry.health().details()).hasSize(2);
    }

    @Test
    void gaugesOfALostGpuReadNanEvenBeforeTheirRemoval() {
        FakeNvml fake = FakeNvml.twoGpus();
        fake.apply();
        NvmlGpuTelemetry telemetry = open(MANUAL, Map.of());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        telemetry.bindTo(registry);
        var gauge = registry.get("llm.gpu.device.memory.used").tag("gpu", "1").gauge();
        fake.set("gpu1.lost", 1).apply();
        telemetry.sampleNow();
        // The meter held by a caller from before the loss now reads NaN; the registry no longer lists it.
        assertThat(gauge.value()).isNaN();
        assertThat(registry.find("llm.gpu.device.memory.used").tag("gpu", "1").gauge()).isNull();
    }

    @Test
    void migDevicesAreReportedAsTheirOwnDevices() {
        String mig0 = "MIG-11111111-aaaa-bbbb-cccc-000000000000";
        String mig3 = "MIG-33333333-aaaa-bbbb-cccc-333333333333";
        FakeNvml.twoGpus()
                .set("gpu0.mig", 1).set("gpu0.mig.max", 7)
                .set("gpu0.mig0.uuid", mig0).set("gpu0.mig0.name", "NVIDIA H100 80GB HBM3 MIG 3g.40gb")
                .set("gpu0.mig0.mem.total", 42_000_000_000L).set("gpu0.mig0.mem.free", 40_000_000_000L)
                .set("gpu0.mig0.mem.used", 2_000_000_000L)
                .set("gpu0.mig3.uuid", mig3).set("gpu0.mig3.name", "NVIDIA H100 80GB HBM3 MIG 2g.20gb")
                .set("gpu0.mig3.mem.total", 21_000_000_000L).set("gpu0.mig3.mem.free", 20_000_000_000L)
                .set("gpu0.mig3.mem.used", 1_000_000_000L)
                .set("gpu1.mig", 0).set("gpu1.mig.max", 7)
                .apply();
        NvmlGpuTelemetry telemetry = open(MANUAL, Map.of());
        Scrape scrape = scrape(telemetry);
        assertThat(scrape.samples("llm_gpu_info")).extracting(s -> s.labels().get("gpu"))
                .containsExactlyInAnyOrder("0:0", "0:3", "1");
        assertThat(scrape.value("llm_gpu_device_memory_used_bytes", "gpu", "0:0", "uuid", mig0)).contains(2e9);
        assertThat(scrape.value("llm_gpu_device_memory_total_bytes", "gpu", "0:3", "uuid", mig3)).contains(21e9);
        assertThat(scrape.value("llm_gpu_info", "gpu", "0:3", "name", "NVIDIA H100 80GB HBM3 MIG 2g.20gb"))
                .contains(1.0);
        // MIG devices do not report utilization, temperature or power: no meter rather than a made-up value.
        assertThat(scrape.value("llm_gpu_utilization_percent", "gpu", "0:0")).isEmpty();
        assertThat(scrape.value("llm_gpu_power_watts", "gpu", "0:0")).isEmpty();
        // The parent GPU is not reported on top of its MIG devices (no double counting in the sum).
        assertThat(scrape.value("llm_gpu_device_memory_used_bytes", "gpu", "0")).isEmpty();
        assertThat(telemetry.memoryUsedBytes()).isEqualTo(2e9 + 1e9 + FakeNvml.GPU1_USED);

        NvmlGpuTelemetry onlyMig3 = open(MANUAL, Map.of("CUDA_VISIBLE_DEVICES", "MIG-3333"));
        assertThat(onlyMig3.devices()).extracting(NvmlDevice::label).containsExactly("0:3");
    }

    @Test
    void honoursVisibleDeviceVariables() {
        FakeNvml.twoGpus().apply();
        assertThat(open(MANUAL, Map.of("CUDA_VISIBLE_DEVICES", "1")).devices())
                .extracting(NvmlDevice::uuid).containsExactly(FakeNvml.GPU1_UUID);
        assertThat(open(MANUAL, Map.of("CUDA_VISIBLE_DEVICES", "GPU-0a1b")).devices())
                .extracting(NvmlDevice::uuid).containsExactly(FakeNvml.GPU0_UUID);
        assertThat(open(MANUAL, Map.of("NVIDIA_VISIBLE_DEVICES", FakeNvml.GPU1_UUID)).devices())
                .extracting(NvmlDevice::label).containsExactly("1");
        NvmlGpuTelemetry one = open(MANUAL, Map.of("CUDA_VISIBLE_DEVICES", "1"));
        assertThat(one.memoryUsedBytes()).isEqualTo((double) FakeNvml.GPU1_USED);
        assertThat(scrape(one).samples("llm_gpu_info")).hasSize(1);
        assertThat(warnings).isEmpty();
    }

    @Test
    void aGpuThatFailsAtStartIsLeftOutAndListed() {
        FakeNvml.twoGpus().set("gpu0.lost", 1).apply();
        NvmlGpuTelemetry telemetry = open(MANUAL, Map.of());
        assertThat(telemetry.devices()).extracting(NvmlDevice::label).containsExactly("1");
        assertThat(telemetry.health().attributes()).containsKey("unavailableAtStart");
        assertThat(scrape(telemetry).value("llm_gpu_nvml_errors_total", "code", "GPU_IS_LOST")).contains(1.0);
    }

    @Test
    void legacyExporterNamesServeTheGuidesKedaQuery() {
        FakeNvml.twoGpus().apply();
        NvmlGpuTelemetry telemetry = open(MANUAL.withLegacyExporterNames(true), Map.of());
        Scrape scrape = scrape(telemetry);
        List<Scrape.Sample> used = scrape.samples("nvidia_gpu_memory_used_bytes");
        assertThat(used).hasSize(2);
        assertThat(used).allSatisfy(s -> assertThat(s.labels()).containsOnlyKeys("gpu", "uuid"));
        // avg(nvidia_gpu_memory_used_bytes / nvidia_gpu_memory_total_bytes * 100): the division matches series by
        // their identical label sets, as PromQL does.
        double sum = 0;
        for (Scrape.Sample sample : used) {
            double total = scrape.value("nvidia_gpu_memory_total_bytes",
                    "gpu", sample.labels().get("gpu"), "uuid", sample.labels().get("uuid")).orElseThrow();
            sum += sample.value() / total * 100;
        }
        double expected = ((double) FakeNvml.GPU0_USED / FakeNvml.GPU0_TOTAL * 100
                + (double) FakeNvml.GPU1_USED / FakeNvml.GPU1_TOTAL * 100) / 2;
        assertThat(sum / used.size()).isCloseTo(expected, within(1e-9));
        assertThat(sum / used.size()).isCloseTo(21.6, within(0.1));
    }

    @Test
    void anUnexpectedFailureInASweepNeverEscapesAndIsReported() {
        FakeNvml.twoGpus().apply();
        ThrowingNvml api = new ThrowingNvml(JnaNvml.load(List.of(FakeNvml.LIBRARY)));
        NvmlGpuTelemetry telemetry = NvmlGpuTelemetry.open(MANUAL, NvmlEnvironment.of(Map.of()), api, warnings::add)
                .orElseThrow();
        opened.add(telemetry);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        telemetry.bindTo(registry);

        api.failing = true;
        assertThat(telemetry.sampleNow()).isFalse();
        Scrape scrape = new Scrape(registry.scrape());
        // The last good snapshot stays; health says why it is not refreshed.
        assertThat(scrape.value("llm_gpu_device_memory_used_bytes", "gpu", "0")).contains((double) FakeNvml.GPU0_USED);
        assertThat(telemetry.health().healthy()).isFalse();
        assertThat(telemetry.health().details()).singleElement().asString().contains("last NVML sweep failed");

        api.failing = false;
        assertThat(telemetry.sampleNow()).isTrue();
        assertThat(telemetry.health().healthy()).isTrue();
        assertThat(warnings).isEmpty();
    }

    /** Delegates to the real binding but can make power readings blow up like a JNA invalid-memory error. */
    static final class ThrowingNvml extends DelegatingNvml {
        volatile boolean failing;

        ThrowingNvml(NvmlApi delegate) {
            super(delegate);
        }

        @Override
        public long powerMilliwatts(Pointer device) throws NvmlException {
            if (failing) {
                throw new Error("Invalid memory access");
            }
            return super.powerMilliwatts(device);
        }
    }
}
