package dev.llmautoscale.examples.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Scripts the fake libnvidia-ml (built from the llm-autoscale-nvml module's test sources into target/fake-nvml) so
 * that GPU metrics come through the real NVML binding on machines without a GPU: one answering GPU and one that is lost
 * at start (which makes {@code llm_gpu_nvml_errors_total{code="GPU_IS_LOST"}} appear).
 */
public final class FakeGpu {

    /** The control file contents. */
    public static final String CONTROL = String.join("\n",
            "driver=550.54.15",
            "count=2",
            "gpu0.name=NVIDIA L4 (fake driver)",
            "gpu0.uuid=GPU-0f4c1e2a-0000-4000-8000-000000000001",
            "gpu0.mem.total=24000000000",
            "gpu0.mem.reserved=300000000",
            "gpu0.mem.free=6000000000",
            "gpu0.mem.used=17700000000",
            "gpu0.util.gpu=81",
            "gpu0.util.memory=40",
            "gpu0.temp=61",
            "gpu0.power=68000",
            "gpu1.name=NVIDIA L4 (fake driver)",
            "gpu1.uuid=GPU-0f4c1e2a-0000-4000-8000-000000000002",
            "gpu1.lost=1",
            "");

    private FakeGpu() {
    }

    /**
     * Writes the control file to {@code path} (atomically).
     *
     * @param path where the fake reads it ({@code FAKE_NVML_CONTROL})
     */
    public static void writeControl(Path path) {
        writeControl(path, CONTROL);
    }

    /**
     * Writes other control file contents to {@code path} (atomically), for instance to lose a GPU mid-run: the fake
     * re-reads the file when it changes.
     *
     * @param path where the fake reads it ({@code FAKE_NVML_CONTROL})
     * @param contents {@code key=value} lines (see the fake's source, {@code llm-autoscale-nvml/src/test/c})
     */
    public static void writeControl(Path path, String contents) {
        try {
            Files.createDirectories(path.getParent());
            Path temp = Files.createTempFile(path.getParent(), "control", ".tmp");
            Files.writeString(temp, contents, StandardCharsets.UTF_8);
            Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the control file where this JVM's fake reads it.
     */
    public static void writeControl() {
        String control = System.getenv("FAKE_NVML_CONTROL");
        String library = System.getenv("LLM_AUTOSCALE_NVML_LIBRARY");
        if (control == null || library == null || !Files.isRegularFile(Path.of(library))) {
            throw new IllegalStateException("the fake libnvidia-ml is not set up (FAKE_NVML_CONTROL=" + control
                    + ", LLM_AUTOSCALE_NVML_LIBRARY=" + library
                    + "): run the tests through Maven, which builds it with gcc"
                    + " (scripts/install-test-deps.sh installs gcc)");
        }
        writeControl(Path.of(control));
    }
}
