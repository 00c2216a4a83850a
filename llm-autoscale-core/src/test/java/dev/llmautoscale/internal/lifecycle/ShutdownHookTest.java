package dev.llmautoscale.internal.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.lifecycle.DrainResult;
import dev.llmautoscale.lifecycle.LifecycleState;
import dev.llmautoscale.metrics.LoadSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The JVM shutdown hook is really registered, replaced and removed, and runs the drain then the after-drain step. */
class ShutdownHookTest {

    private final DefaultInferenceLifecycle lifecycle = new DefaultInferenceLifecycle(
            () -> new LoadSnapshot(LifecycleState.READY, 0, 0, 0, Double.NaN, Double.NaN, List.of()));

    /** Whether the JVM has the hook registered; leaves the registration as it found it. */
    private static boolean registered(Thread hook) {
        boolean was = Runtime.getRuntime().removeShutdownHook(hook);
        if (was) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
        return was;
    }

    @Test
    void installReplacesAndRemovesTheJvmHook() {
        assertThat(lifecycle.shutdownHookThread()).isNull();
        AtomicInteger afterDrain = new AtomicInteger();
        lifecycle.installShutdownHook(Duration.ZERO, Duration.ofSeconds(1), null);
        Thread first = lifecycle.shutdownHookThread();
        assertThat(first).isNotNull();
        assertThat(registered(first)).as("installed").isTrue();

        lifecycle.installShutdownHook(Duration.ZERO, Duration.ofSeconds(1), afterDrain::incrementAndGet);
        Thread second = lifecycle.shutdownHookThread();
        assertThat(second).isNotNull().isNotSameAs(first);
        assertThat(registered(first)).as("the replaced hook is gone").isFalse();
        assertThat(registered(second)).isTrue();

        lifecycle.removeShutdownHook();
        assertThat(lifecycle.shutdownHookThread()).isNull();
        assertThat(registered(second)).as("removed").isFalse();
        lifecycle.removeShutdownHook(); // a second removal is harmless
        assertThat(lifecycle.state()).isEqualTo(LifecycleState.STARTING);

        // what the JVM would run on SIGTERM: the shutdown sequence, then the after-drain step
        second.run();
        assertThat(lifecycle.state()).isEqualTo(LifecycleState.STOPPED);
        assertThat(afterDrain.get()).isEqualTo(1);
    }

    @Test
    void shutdownOfAStoppedLifecycleReportsAtOnce() {
        lifecycle.stop();
        DrainResult r = lifecycle.shutdown(Duration.ofMinutes(10), Duration.ofMinutes(10));
        assertThat(r.drained()).isTrue();
        assertThat(r.waited()).isZero();
    }
}
