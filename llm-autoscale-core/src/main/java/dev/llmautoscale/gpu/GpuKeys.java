package dev.llmautoscale.gpu;

import dev.llmautoscale.settings.Setting;
import dev.llmautoscale.settings.SettingsReader;
import java.time.Duration;
import java.util.List;

/**
 * The keys of {@link GpuTelemetryOptions} and of the GPU's effect on readiness, {@code llm.autoscale.gpu.*}.
 */
public final class GpuKeys {

    private static final String P = Setting.PREFIX + "gpu.";

    /** Whether GPU telemetry is opened. */
    public static final Setting<Boolean> ENABLED = Setting.bool(P + "enabled", true,
            "Whether GPU telemetry is opened (with the llm-autoscale-nvml module); off: llm_gpu_memory_used_bytes "
                    + "is absent.");
    /** How often one native sweep reads every device. */
    public static final Setting<Duration> SAMPLING_INTERVAL = Setting.duration(P + "sampling-interval",
            Duration.ofSeconds(5), true, "How often one native sweep reads every device; scrapes read the last "
                    + "sweep.");
    /** The older NVIDIA exporter names. */
    public static final Setting<Boolean> LEGACY_EXPORTER_NAMES = Setting.bool(P + "legacy-exporter-names", false,
            "Also emit the older NVIDIA exporter names nvidia_gpu_memory_used_bytes and "
                    + "nvidia_gpu_memory_total_bytes (the guide's KEDA query uses them).");
    /** Whether a lost GPU makes the server unready. */
    public static final Setting<Boolean> AFFECTS_READINESS = Setting.bool(P + "affects-readiness", false,
            "Whether a GPU problem (such as a lost device) makes the server unready.");

    /** Every GPU setting. */
    public static final List<Setting<?>> ALL = List.of(ENABLED, SAMPLING_INTERVAL, LEGACY_EXPORTER_NAMES,
            AFFECTS_READINESS);

    private GpuKeys() {
    }

    /**
     * Reads the telemetry options ({@link #AFFECTS_READINESS} is read on its own: it configures the lifecycle).
     *
     * @param r the reader; problems are kept in it
     * @return the options (the defaults where a value is bad)
     */
    public static GpuTelemetryOptions read(SettingsReader r) {
        return r.build(() -> new GpuTelemetryOptions(r.get(ENABLED), r.get(SAMPLING_INTERVAL),
                r.get(LEGACY_EXPORTER_NAMES)), GpuTelemetryOptions.defaults());
    }
}
