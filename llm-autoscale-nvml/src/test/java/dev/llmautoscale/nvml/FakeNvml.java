package dev.llmautoscale.nvml;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Drives the fake libnvidia-ml built from src/test/c/fake_nvml.c: writes its control file and reads its call
 * counters through the library's test-only exports (the same loaded library the production binding uses).
 */
final class FakeNvml {

    /** The full fake, found through jna.library.path like the real driver. */
    static final String LIBRARY = "libnvidia-ml.so.1";

    static final String GPU0_UUID = "GPU-0a1b2c3d-1111-2222-3333-444455556666";
    static final String GPU1_UUID = "GPU-9f8e7d6c-aaaa-bbbb-cccc-ddddeeeeffff";
    static final String GPU0_NAME = "NVIDIA H100 80GB HBM3";
    static final String GPU1_NAME = "NVIDIA L4";

    // Distinct values for every field, so a field read from the wrong offset cannot go unnoticed.
    static final long GPU0_TOTAL = 85_520_809_984L;
    static final long GPU0_RESERVED = 551_550_976L;
    static final long GPU0_FREE = 60_129_542_144L;
    static final long GPU0_USED = 24_839_716_864L;
    static final long GPU1_TOTAL = 24_152_899_584L;
    static final long GPU1_RESERVED = 312_475_648L;
    static final long GPU1_FREE = 20_401_094_656L;
    static final long GPU1_USED = 3_439_329_280L;

    /** The test-only exports of the fake. */
    interface Control extends Library {
        long fake_nvml_calls(String function);

        void fake_nvml_reset();

        void fake_nvml_reload();

        int fake_nvml_init_refcount();

        int fake_nvml_last_init_flags();
    }

    private static final Map<String, Control> CONTROLS = new java.util.concurrent.ConcurrentHashMap<>();

    private final Map<String, String> values = new LinkedHashMap<>();

    private FakeNvml() {
    }

    /** An empty scenario: the driver loads, initialises and reports no GPU. */
    static FakeNvml empty() {
        return new FakeNvml().set("driver", "550.54.15");
    }

    /** Two GPUs, an H100 and an L4, with every reading available. */
    static FakeNvml twoGpus() {
        return empty()
                .set("count", 2)
                .set("gpu0.name", GPU0_NAME).set("gpu0.uuid", GPU0_UUID)
                .set("gpu0.mem.total", GPU0_TOTAL).set("gpu0.mem.reserved", GPU0_RESERVED)
                .set("gpu0.mem.free", GPU0_FREE).set("gpu0.mem.used", GPU0_USED)
                .set("gpu0.util.gpu", 87).set("gpu0.util.memory", 41)
                .set("gpu0.temp", 65).set("gpu0.power", 312_500)
                .set("gpu1.name", GPU1_NAME).set("gpu1.uuid", GPU1_UUID)
                .set("gpu1.mem.total", GPU1_TOTAL).set("gpu1.mem.reserved", GPU1_RESERVED)
                .set("gpu1.mem.free", GPU1_FREE).set("gpu1.mem.used", GPU1_USED)
                .set("gpu1.util.gpu", 12).set("gpu1.util.memory", 5)
                .set("gpu1.temp", 48).set("gpu1.power", 72_250);
    }

    FakeNvml set(String key, Object value) {
        values.put(key, String.valueOf(value));
        return this;
    }

    FakeNvml remove(String key) {
        values.remove(key);
        return this;
    }

    /** Writes the control file atomically and makes the fake re-read it. */
    FakeNvml apply() {
        Path control = controlFile();
        String text = values.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n", "", "\n"));
        try {
            Files.createDirectories(control.getParent());
            Path temp = Files.createTempFile(control.getParent(), "control", ".tmp");
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, control, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        control().fake_nvml_reload();
        legacyControl().fake_nvml_reload();
        return this;
    }

    static Path controlFile() {
        String path = System.getenv("FAKE_NVML_CONTROL");
        if (path == null) {
            throw new IllegalStateException("FAKE_NVML_CONTROL is not set: run the tests through Maven (surefire "
                    + "sets it and jna.library.path to target/fake-nvml)");
        }
        return Paths.get(path);
    }

    /** The absolute path of the fake built without nvmlDeviceGetMemoryInfo_v2. */
    static String legacyLibrary() {
        return Paths.get(System.getProperty("fake.nvml.legacy.dir"), "libnvidia-ml-legacy.so.1").toString();
    }

    /** The control exports of the full fake (shared with the production binding's handle). */
    static Control control() {
        return CONTROLS.computeIfAbsent(LIBRARY, name -> Native.load(name, Control.class));
    }

    /** The control exports of the fake without the _v2 memory call. */
    static Control legacyControl() {
        return CONTROLS.computeIfAbsent(legacyLibrary(), name -> Native.load(name, Control.class));
    }
}
