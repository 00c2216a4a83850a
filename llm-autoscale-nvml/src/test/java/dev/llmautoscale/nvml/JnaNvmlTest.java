package dev.llmautoscale.nvml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JNA binding against the fake driver: struct layouts, strings, MIG calls and error mapping. */
class JnaNvmlTest {

    private JnaNvml nvml;
    private boolean initialised;

    @BeforeEach
    void setUp() throws NvmlException {
        FakeNvml.twoGpus().apply();
        nvml = JnaNvml.load(List.of(FakeNvml.LIBRARY));
        nvml.init();
        initialised = true;
    }

    @AfterEach
    void tearDown() throws NvmlException {
        if (initialised) {
            nvml.shutdown();
        }
    }

    @Test
    void initialisesWithTheNoGpusFlag() {
        assertThat(FakeNvml.control().fake_nvml_last_init_flags()).isEqualTo(NvmlLibrary.INIT_FLAG_NO_GPUS);
    }

    @Test
    void memoryV2ReadsEveryFieldAtItsOffset() throws NvmlException {
        Pointer gpu0 = nvml.deviceHandle(0);
        NvmlApi.MemoryInfo memory = nvml.memoryInfoV2(gpu0);
        assertThat(memory).isEqualTo(new NvmlApi.MemoryInfo(FakeNvml.GPU0_TOTAL, FakeNvml.GPU0_RESERVED,
                FakeNvml.GPU0_FREE, FakeNvml.GPU0_USED));
        NvmlApi.MemoryInfo other = nvml.memoryInfoV2(nvml.deviceHandle(1));
        assertThat(other).isEqualTo(new NvmlApi.MemoryInfo(FakeNvml.GPU1_TOTAL, FakeNvml.GPU1_RESERVED,
                FakeNvml.GPU1_FREE, FakeNvml.GPU1_USED));
    }

    @Test
    void memoryV2VersionWordIsSizeOfTheStructOrTwoShiftedBy24() {
        NvmlLibrary.MemoryV2 memory = new NvmlLibrary.MemoryV2();
        assertThat(memory.size()).isEqualTo(40);
        assertThat(memory.version).isEqualTo(0x02000028);
    }

    @Test
    void theFakeRejectsAWrongVersionWordLikeTheDriver() throws NvmlException {
        NvmlLibrary library = Native.load(FakeNvml.LIBRARY, NvmlLibrary.class);
        NvmlLibrary.MemoryV2 memory = new NvmlLibrary.MemoryV2();
        memory.version = 0x01000028;
        int result = library.nvmlDeviceGetMemoryInfo_v2(nvml.deviceHandle(0), memory);
        assertThat(NvmlReturn.of(result)).isEqualTo(NvmlReturn.ARGUMENT_VERSION_MISMATCH);
    }

    @Test
    void memoryV1ReadsTotalFreeUsedInThatOrder() throws NvmlException {
        NvmlApi.MemoryInfo memory = nvml.memoryInfo(nvml.deviceHandle(0));
        // v1 counts the reserved memory as used.
        assertThat(memory).isEqualTo(new NvmlApi.MemoryInfo(FakeNvml.GPU0_TOTAL, -1, FakeNvml.GPU0_FREE,
                FakeNvml.GPU0_USED + FakeNvml.GPU0_RESERVED));
        assertThat(new NvmlLibrary.Memory().size()).isEqualTo(24);
    }

    @Test
    void utilizationTemperaturePowerNamesAndUuids() throws NvmlException {
        Pointer gpu0 = nvml.deviceHandle(0);
        Pointer gpu1 = nvml.deviceHandle(1);
        assertThat(nvml.utilization(gpu0)).isEqualTo(new NvmlApi.Utilization(87, 41));
        assertThat(nvml.utilization(gpu1)).isEqualTo(new NvmlApi.Utilization(12, 5));
        assertThat(new NvmlLibrary.Utilization().size()).isEqualTo(8);
        assertThat(nvml.temperatureCelsius(gpu0)).isEqualTo(65);
        assertThat(nvml.powerMilliwatts(gpu0)).isEqualTo(312_500);
        assertThat(nvml.name(gpu0)).isEqualTo(FakeNvml.GPU0_NAME);
        assertThat(nvml.uuid(gpu1)).isEqualTo(FakeNvml.GPU1_UUID);
        assertThat(nvml.deviceCount()).isEqualTo(2);
        assertThat(nvml.driverVersion()).isEqualTo("550.54.15");
    }

    @Test
    void unsignedValuesAboveIntAndLongRangeStayPositive() throws NvmlException {
        FakeNvml.twoGpus().set("gpu0.power", 4_000_000_000L).set("gpu0.mem.used", "18446744073709551615").apply();
        Pointer gpu0 = nvml.deviceHandle(0);
        assertThat(nvml.powerMilliwatts(gpu0)).isEqualTo(4_000_000_000L);
        assertThat(NvmlApi.MemoryInfo.unsigned(nvml.memoryInfoV2(gpu0).used())).isEqualTo(0x1p64);
    }

    @Test
    void migModeAndMigDeviceHandles() throws NvmlException {
        FakeNvml.twoGpus().set("gpu0.mig", 1).set("gpu0.mig.max", 7)
                .set("gpu0.mig2.uuid", "MIG-12345678-aaaa-bbbb-cccc-000000000002")
                .set("gpu0.mig2.name", "NVIDIA H100 80GB HBM3 MIG 3g.40gb")
                .set("gpu0.mig2.mem.total", 42_949_672_960L).set("gpu0.mig2.mem.free", 40_000_000_000L)
                .set("gpu0.mig2.mem.used", 2_949_672_960L)
                .set("gpu1.mig", 0).set("gpu1.mig.max", 7)
                .apply();
        Pointer gpu0 = nvml.deviceHandle(0);
        assertThat(nvml.migEnabled(gpu0)).isTrue();
        assertThat(nvml.migEnabled(nvml.deviceHandle(1))).isFalse();
        assertThat(nvml.maxMigDeviceCount(gpu0)).isEqualTo(7);
        assertThatThrownBy(() -> nvml.migDeviceHandle(gpu0, 0))
                .isInstanceOfSatisfying(NvmlException.class,
                        e -> assertThat(e.result()).isEqualTo(NvmlReturn.NOT_FOUND));
        Pointer mig = nvml.migDeviceHandle(gpu0, 2);
        assertThat(nvml.uuid(mig)).isEqualTo("MIG-12345678-aaaa-bbbb-cccc-000000000002");
        assertThat(nvml.memoryInfoV2(mig).total()).isEqualTo(42_949_672_960L);
        assertThatThrownBy(() -> nvml.migEnabled(mig)).isInstanceOfSatisfying(NvmlException.class,
                e -> assertThat(e.result()).isEqualTo(NvmlReturn.NOT_SUPPORTED));
    }

    @Test
    void errorsCarryTheMappedCodeAndTheDriversString() throws NvmlException {
        FakeNvml.twoGpus().set("gpu1.lost", 1).set("gpu0.err.nvmlDeviceGetPowerUsage", 3).apply();
        Pointer gpu0 = nvml.deviceHandle(0);
        assertThatThrownBy(() -> nvml.powerMilliwatts(gpu0)).isInstanceOfSatisfying(NvmlException.class, e -> {
            assertThat(e.result()).isEqualTo(NvmlReturn.NOT_SUPPORTED);
            assertThat(e).hasMessage("nvmlDeviceGetPowerUsage failed: NOT_SUPPORTED (3, \"Not Supported\")");
        });
        assertThatThrownBy(() -> nvml.deviceHandle(1)).isInstanceOfSatisfying(NvmlException.class, e -> {
            assertThat(e.result()).isEqualTo(NvmlReturn.GPU_IS_LOST);
            assertThat(e.getMessage()).contains("GPU_IS_LOST (15, \"GPU is lost\")");
        });
    }

    @Test
    void anUnknownCodeMapsToUnknownButKeepsTheNumber() throws NvmlException {
        FakeNvml.twoGpus().set("gpu0.err.nvmlDeviceGetTemperature", 777).apply();
        Pointer gpu0 = nvml.deviceHandle(0);
        assertThatThrownBy(() -> nvml.temperatureCelsius(gpu0)).isInstanceOfSatisfying(NvmlException.class, e -> {
            assertThat(e.result()).isEqualTo(NvmlReturn.UNKNOWN);
            assertThat(e.rawCode()).isEqualTo(777);
            assertThat(e.getMessage()).contains("UNKNOWN (777");
        });
    }

    @Test
    void anAbsentFunctionIsFunctionNotFound() throws NvmlException {
        JnaNvml legacy = JnaNvml.load(List.of(FakeNvml.legacyLibrary()));
        legacy.init();
        try {
            Pointer gpu0 = legacy.deviceHandle(0);
            assertThatThrownBy(() -> legacy.memoryInfoV2(gpu0)).isInstanceOfSatisfying(NvmlException.class,
                    e -> assertThat(e.result()).isEqualTo(NvmlReturn.FUNCTION_NOT_FOUND));
            assertThat(legacy.memoryInfo(gpu0).total()).isEqualTo(FakeNvml.GPU0_TOTAL);
        } finally {
            legacy.shutdown();
        }
    }

    @Test
    void callsAfterShutdownAreUninitialized() throws NvmlException {
        Pointer gpu0 = nvml.deviceHandle(0);
        nvml.shutdown();
        initialised = false;
        assertThatThrownBy(() -> nvml.memoryInfoV2(gpu0)).isInstanceOfSatisfying(NvmlException.class,
                e -> assertThat(e.result()).isEqualTo(NvmlReturn.UNINITIALIZED));
    }

    @Test
    void loadingAMissingLibraryNamesEveryAttempt() {
        assertThatThrownBy(() -> JnaNvml.load(List.of("/nonexistent/libnvidia-ml.so.1", "no-such-nvml")))
                .isInstanceOf(UnsatisfiedLinkError.class)
                .hasMessageContaining("/nonexistent/libnvidia-ml.so.1")
                .hasMessageContaining("no-such-nvml");
    }

    @Test
    void everyDocumentedReturnCodeMaps() {
        for (NvmlReturn value : NvmlReturn.values()) {
            assertThat(NvmlReturn.of(value.code())).isEqualTo(value);
        }
        assertThat(NvmlReturn.of(15)).isEqualTo(NvmlReturn.GPU_IS_LOST);
        assertThat(NvmlReturn.of(13)).isEqualTo(NvmlReturn.FUNCTION_NOT_FOUND);
        assertThat(NvmlReturn.of(-1)).isEqualTo(NvmlReturn.UNKNOWN);
        assertThat(NvmlReturn.of(31)).isEqualTo(NvmlReturn.UNKNOWN);
    }

    @Test
    void cStringStopsAtTheFirstNul() {
        assertThat(JnaNvml.cString(new byte[] {'a', 'b', 0, 'c'})).isEqualTo("ab");
        assertThat(JnaNvml.cString(new byte[] {'x', 'y'})).isEqualTo("xy");
    }
}
