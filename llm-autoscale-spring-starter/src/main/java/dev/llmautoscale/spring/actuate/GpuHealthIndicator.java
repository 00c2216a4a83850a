package dev.llmautoscale.spring.actuate;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.gpu.GpuHealth;
import dev.llmautoscale.gpu.GpuTelemetry;
import java.util.Objects;
import java.util.Optional;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The GPU telemetry source's health (the NVML module's): {@code UP} with its attributes (devices, driver) when every
 * visible device answers, {@code DOWN} with the reasons (a lost GPU, driver errors) otherwise, {@code UNKNOWN} when no
 * source was opened (no NVIDIA driver or GPU on this machine, or GPU telemetry disabled). Registered as {@code gpu}.
 */
public final class GpuHealthIndicator implements HealthIndicator {

    private final LlmAutoscale autoscale;

    /**
     * @param autoscale the instance whose GPU source is reported
     */
    public GpuHealthIndicator(LlmAutoscale autoscale) {
        this.autoscale = Objects.requireNonNull(autoscale, "autoscale");
    }

    @Override
    public Health health() {
        Optional<GpuTelemetry> gpu = autoscale.gpu();
        if (gpu.isEmpty()) {
            return Health.unknown()
                    .withDetail("reason", "no GPU telemetry source: no NVIDIA driver or GPU found, or disabled "
                            + "(llm.autoscale.gpu.enabled)")
                    .build();
        }
        GpuHealth h = gpu.get().health();
        Health.Builder builder = h.healthy() ? Health.up() : Health.down().withDetail("reasons", h.details());
        return builder.withDetail("source", gpu.get().name()).withDetails(h.attributes()).build();
    }
}
