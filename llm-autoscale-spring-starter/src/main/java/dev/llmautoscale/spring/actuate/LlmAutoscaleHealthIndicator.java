package dev.llmautoscale.spring.actuate;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.lifecycle.InferenceLifecycle;
import dev.llmautoscale.lifecycle.ProbeResult;
import dev.llmautoscale.metrics.LoadSnapshot;
import java.util.Objects;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Explains the inference server's readiness: {@code UP} when ready, {@code OUT_OF_SERVICE} while starting, warming up
 * (with the hook being run) or draining, {@code DOWN} when stopped or a liveness check fails; the details carry the
 * lifecycle state, the reasons, and the running and queued requests.
 *
 * <p>Registered as {@code llmAutoscale}. Add it to the readiness group so readiness also follows readiness checks
 * that change without a lifecycle transition (a lost GPU):
 * {@code management.endpoint.health.group.readiness.include=readinessState,llmAutoscale}.
 */
public final class LlmAutoscaleHealthIndicator implements HealthIndicator {

    private final LlmAutoscale autoscale;

    /**
     * @param autoscale the instance to report on
     */
    public LlmAutoscaleHealthIndicator(LlmAutoscale autoscale) {
        this.autoscale = Objects.requireNonNull(autoscale, "autoscale");
    }

    @Override
    public Health health() {
        InferenceLifecycle lifecycle = autoscale.lifecycle();
        LoadSnapshot load = autoscale.load();
        ProbeResult liveness = lifecycle.liveness();
        ProbeResult readiness = lifecycle.readiness();
        Health.Builder builder;
        if (!liveness.ok()) {
            builder = Health.down().withDetail("reasons", liveness.reasons());
        } else if (!readiness.ok()) {
            builder = Health.outOfService().withDetail("reasons", readiness.reasons());
        } else {
            builder = Health.up();
        }
        return builder.withDetail("state", readiness.state().label())
                .withDetail("acceptingWork", lifecycle.isAcceptingWork())
                .withDetail("running", load.running())
                .withDetail("queued", load.queued())
                .build();
    }
}
