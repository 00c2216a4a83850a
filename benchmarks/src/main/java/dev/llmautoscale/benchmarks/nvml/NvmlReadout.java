package dev.llmautoscale.benchmarks.nvml;

import dev.llmautoscale.gpu.GpuTelemetryOptions;
import dev.llmautoscale.nvml.NvmlGpuTelemetry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Prints what llm-autoscale-nvml reads on this machine, one CSV line per visible device, in the units and column order
 * of {@code nvidia-smi --query-gpu=index,uuid,memory.used,memory.total,utilization.gpu --format=csv,nounits}
 * (memory in MiB), so the two can be compared side by side. {@code scripts/gpu-check.sh} runs both.
 *
 * <p>Exit status: 0 with readings, 2 when no GPU telemetry could be opened (the WARN above says why).
 */
public final class NvmlReadout {

    private NvmlReadout() {
    }

    /**
     * @param args ignored
     */
    public static void main(String[] args) {
        GpuTelemetryOptions options = GpuTelemetryOptions.defaults().withSamplingInterval(Duration.ofHours(1));
        try (NvmlGpuTelemetry telemetry = NvmlGpuTelemetry.open(options).orElse(null)) {
            if (telemetry == null) {
                System.err.println("no GPU telemetry: see the WARN above");
                System.exit(2);
                return;
            }
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            telemetry.bindTo(registry);
            telemetry.sampleNow();
            System.out.println("index, uuid, memory.used [MiB], memory.total [MiB], utilization.gpu [%]  (llm-autoscale-nvml)");
            List<Gauge> used = registry.find("llm.gpu.device.memory.used").gauges().stream()
                    .sorted(Comparator.comparing(g -> g.getId().getTag("gpu"))).collect(Collectors.toList());
            for (Gauge g : used) {
                String gpu = g.getId().getTag("gpu");
                String uuid = g.getId().getTag("uuid");
                double total = value(registry, "llm.gpu.device.memory.total", gpu);
                double util = value(registry, "llm.gpu.utilization", gpu);
                System.out.printf(Locale.ROOT, "%s, %s, %.0f, %.0f, %.0f%n", gpu, uuid, g.value() / 1048576.0,
                        total / 1048576.0, util);
            }
            System.out.printf(Locale.ROOT, "llm_gpu_memory_used_bytes (sum) = %.0f%n", telemetry.memoryUsedBytes());
        }
    }

    private static double value(SimpleMeterRegistry registry, String name, String gpu) {
        Gauge g = registry.find(name).tag("gpu", gpu).gauge();
        return g == null ? Double.NaN : g.value();
    }
}
