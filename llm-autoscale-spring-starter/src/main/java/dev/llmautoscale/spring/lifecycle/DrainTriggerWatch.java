package dev.llmautoscale.spring.lifecycle;

import dev.llmautoscale.lifecycle.DrainTrigger;
import dev.llmautoscale.lifecycle.InferenceLifecycle;
import dev.llmautoscale.lifecycle.LifecycleSettings;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The starter's watch of {@code llm.autoscale.lifecycle.drain-trigger-file} (default {@code /tmp/shutdown}, empty:
 * off): a bean that starts a {@link DrainTrigger} when created and stops it when the context closes. When the file
 * appears the server drains (readiness 503 — {@link ReadinessStateBridge} turns Spring Boot's readiness to
 * {@code REFUSING_TRAFFIC} — new inferences 503, running and queued ones finish); the later context shutdown finds it
 * draining already and skips the pre-drain delay.
 */
public final class DrainTriggerWatch implements AutoCloseable {

    private final @Nullable DrainTrigger trigger;

    /**
     * @param settings the lifecycle settings (the trigger file, or none)
     * @param lifecycle the lifecycle to drain
     */
    public DrainTriggerWatch(LifecycleSettings settings, InferenceLifecycle lifecycle) {
        this.trigger = DrainTrigger.start(settings, lifecycle);
    }

    /**
     * @return the running watch, empty when no file is configured
     */
    public Optional<DrainTrigger> trigger() {
        return Optional.ofNullable(trigger);
    }

    /** Stops watching. */
    @Override
    public void close() {
        if (trigger != null) {
            trigger.close();
        }
    }
}
