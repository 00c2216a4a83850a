package dev.llmautoscale.nvml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.gpu.GpuTelemetryOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * No driver, no GPU, no visible GPU or a failing NVML: open() returns empty after exactly one WARN that says why,
 * and leaves NVML shut down.
 */
class OpenFailureTest {

    private final List<String> warnings = new ArrayList<>();
    private int refcountBefore;

    @BeforeEach
    void setUp() {
        refcountBefore = FakeNvml.control().fake_nvml_init_refcount();
    }

    @AfterEach
    void nvmlIsShutDownAgain() {
        assertThat(FakeNvml.control().fake_nvml_init_refcount()).isEqualTo(refcountBefore);
    }

    private Optional<NvmlGpuTelemetry> open(Map<String, String> env) {
        return NvmlGpuTelemetry.open(GpuTelemetryOptions.defaults(), NvmlEnvironment.of(env), warnings::add);
    }

    private String theOnlyWarning() {
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).startsWith("GPU metrics disabled: ");
        return warnings.get(0);
    }

    @Test
    void libraryAbsent() {
        FakeNvml.twoGpus().apply();
        assertThat(open(Map.of(NvmlEnvironment.LIBRARY_VARIABLE, "/nonexistent/libnvidia-ml.so.1"))).isEmpty();
        assertThat(theOnlyWarning()).contains("NVML library could not be loaded", "/nonexistent/libnvidia-ml.so.1",
                "no NVIDIA driver");
    }

    @Test
    void driverNotLoaded() {
        FakeNvml.twoGpus().set("init", 9).apply();
        assertThat(open(Map.of())).isEmpty();
        assertThat(theOnlyWarning()).contains("NVML did not initialise", "DRIVER_NOT_LOADED", "Driver Not Loaded",
                "kernel driver is not loaded");
    }

    @Test
    void noGpu() {
        FakeNvml.empty().apply();
        assertThat(open(Map.of())).isEmpty();
        assertThat(theOnlyWarning()).contains("reports no GPU", "550.54.15");
    }

    @Test
    void noVisibleGpu() {
        FakeNvml.twoGpus().apply();
        assertThat(open(Map.of("CUDA_VISIBLE_DEVICES", ""))).isEmpty();
        assertThat(theOnlyWarning()).contains("none of the 2 GPU(s)", "CUDA_VISIBLE_DEVICES=\"\"");
        warnings.clear();
        assertThat(open(Map.of("NVIDIA_VISIBLE_DEVICES", "void"))).isEmpty();
        assertThat(theOnlyWarning()).contains("NVIDIA_VISIBLE_DEVICES=\"void\"");
        warnings.clear();
        assertThat(open(Map.of("CUDA_VISIBLE_DEVICES", "GPU-deadbeef"))).isEmpty();
        assertThat(theOnlyWarning()).contains("GPU-deadbeef", "matches no device");
    }

    @Test
    void everyGpuFailsAtStart() {
        FakeNvml.twoGpus().set("gpu0.lost", 1).set("gpu1.lost", 1).apply();
        assertThat(open(Map.of())).isEmpty();
        assertThat(theOnlyWarning()).contains("GPU 0", "GPU 1", "GPU_IS_LOST");
    }

    @Test
    void deviceCountFails() {
        FakeNvml.twoGpus().set("err.nvmlDeviceGetCount_v2", 999).apply();
        assertThat(open(Map.of())).isEmpty();
        assertThat(theOnlyWarning()).contains("listing GPUs", "nvmlDeviceGetCount_v2", "UNKNOWN");
    }

    @Test
    void anUnexpectedExceptionDuringDiscovery() {
        FakeNvml.twoGpus().apply();
        NvmlApi api = new DelegatingNvml(JnaNvml.load(List.of(FakeNvml.LIBRARY))) {
            @Override
            public String uuid(com.sun.jna.Pointer device) {
                throw new IllegalStateException("boom");
            }
        };
        assertThat(NvmlGpuTelemetry.open(GpuTelemetryOptions.defaults(), NvmlEnvironment.of(Map.of()), api,
                warnings::add)).isEmpty();
        assertThat(theOnlyWarning()).contains("boom");
    }

    @Test
    void disabledByConfigurationIsNotAWarning() {
        FakeNvml.twoGpus().apply();
        assertThat(NvmlGpuTelemetry.open(GpuTelemetryOptions.defaults().withEnabled(false),
                NvmlEnvironment.of(Map.of()), warnings::add)).isEmpty();
        assertThat(warnings).isEmpty();
    }
}
