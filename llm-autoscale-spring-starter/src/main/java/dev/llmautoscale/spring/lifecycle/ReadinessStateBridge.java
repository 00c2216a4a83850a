package dev.llmautoscale.spring.lifecycle;

import dev.llmautoscale.lifecycle.InferenceLifecycle;
import dev.llmautoscale.lifecycle.LifecycleState;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;

/**
 * Keeps Spring Boot's {@link ReadinessState} in step with the inference lifecycle: {@code ACCEPTING_TRAFFIC} only
 * while the lifecycle is {@link LifecycleState#READY}, {@code REFUSING_TRAFFIC} while it is starting, warming up,
 * draining or stopped.
 *
 * <p>Spring Boot itself publishes {@code ACCEPTING_TRAFFIC} once the application is ready, which is usually while a
 * model is still loading. The bridge answers that event by publishing {@code REFUSING_TRAFFIC} again (an application
 * that announces {@code REFUSING_TRAFFIC} itself, to take a ready server out of rotation, is not overruled). Listeners of
 * equal order run in no guaranteed order, so the bridge does not assume that Boot's {@link ApplicationAvailability}
 * has already recorded the event: when it has not, the correction is published as soon as it has (checked for up to
 * {@value #SETTLE_MILLIS} ms on a short-lived thread). Every publication is computed from the lifecycle state under one
 * lock, so the last word always matches the lifecycle.
 */
public final class ReadinessStateBridge implements ApplicationListener<AvailabilityChangeEvent<ReadinessState>> {

    static final long SETTLE_MILLIS = 5_000;

    private static final Logger log = LoggerFactory.getLogger(ReadinessStateBridge.class);

    private final InferenceLifecycle lifecycle;
    private final ApplicationEventPublisher publisher;
    private final ObjectProvider<ApplicationAvailability> availability;
    private final Object lock = new Object();
    private volatile @Nullable ReadinessState lastPublished;

    /**
     * Registers itself as a listener of the lifecycle.
     *
     * @param lifecycle the core lifecycle
     * @param publisher where availability changes are published (the application context)
     * @param availability Spring Boot's record of the availability states, when present
     */
    public ReadinessStateBridge(InferenceLifecycle lifecycle, ApplicationEventPublisher publisher,
            ObjectProvider<ApplicationAvailability> availability) {
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.availability = Objects.requireNonNull(availability, "availability");
        lifecycle.addListener((from, to) -> sync());
    }

    /**
     * The readiness the lifecycle state calls for now. Readiness checks (such as the GPU's) change without a state
     * change and are reported by the health indicator instead, which belongs in the readiness group.
     *
     * @return {@code ACCEPTING_TRAFFIC} when the lifecycle is {@link LifecycleState#READY}
     */
    public ReadinessState desired() {
        return lifecycle.state() == LifecycleState.READY
                ? ReadinessState.ACCEPTING_TRAFFIC : ReadinessState.REFUSING_TRAFFIC;
    }

    /** Publishes the readiness the lifecycle calls for, unless Spring Boot already records it. */
    public void sync() {
        synchronized (lock) {
            ReadinessState want = desired();
            ApplicationAvailability a = availability.getIfAvailable();
            ReadinessState current = a != null ? a.getReadinessState() : lastPublished;
            if (current != want) {
                lastPublished = want;
                AvailabilityChangeEvent.publish(publisher, this, want);
            }
        }
    }

    /**
     * Takes back {@code ACCEPTING_TRAFFIC} announced while the lifecycle is not ready. {@code REFUSING_TRAFFIC}
     * announced by the application (taking a ready server out of rotation) is left alone.
     */
    @Override
    public void onApplicationEvent(AvailabilityChangeEvent<ReadinessState> event) {
        ReadinessState announced = event.getState();
        if (announced != ReadinessState.ACCEPTING_TRAFFIC || desired() == ReadinessState.ACCEPTING_TRAFFIC) {
            return;
        }
        ApplicationAvailability a = availability.getIfAvailable();
        if (a == null || a.getReadinessState() == announced) {
            sync();
            return;
        }
        // Spring Boot's ApplicationAvailability has not recorded this event yet (it runs after this listener):
        // correct the state once it has.
        Thread t = new Thread(() -> {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MILLIS);
            while (a.getReadinessState() != announced && System.nanoTime() - deadline < 0) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            sync();
        }, "llm-autoscale-readiness");
        t.setDaemon(true);
        t.start();
        log.debug("Readiness {} announced while the inference lifecycle is {}; correcting", announced,
                lifecycle.state());
    }
}
