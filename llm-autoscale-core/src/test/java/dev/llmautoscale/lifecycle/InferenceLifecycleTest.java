package dev.llmautoscale.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmautoscale.admission.AdmissionLimits;
import dev.llmautoscale.admission.AdmissionRejectedException;
import dev.llmautoscale.admission.RejectionReason;
import dev.llmautoscale.metrics.InferenceStatus;
import dev.llmautoscale.testing.Fixture;
import dev.llmautoscale.tracking.InferenceSpan;
import dev.llmautoscale.tracking.InferenceTracker;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class InferenceLifecycleTest {

    private final Fixture f = new Fixture(AdmissionLimits.builder().enabled(true).maxConcurrency(4).queueCapacity(4)
            .build());
    private final InferenceLifecycle lifecycle = f.autoscale.lifecycle();
    private final InferenceTracker tracker = f.autoscale.tracker();

    @Test
    void warmUpRunsHooksInOrderThenBecomesReady() {
        List<String> ran = new CopyOnWriteArrayList<>();
        List<String> transitions = new CopyOnWriteArrayList<>();
        lifecycle.addListener((from, to) -> transitions.add(from + "->" + to));
        lifecycle.addWarmupHook("load-weights", Duration.ofSeconds(10), () -> {
            assertThat(lifecycle.readiness().ok()).isFalse();
            assertThat(lifecycle.readiness().reasons()).containsExactly(
                    "warming up: running hook 'load-weights' (1 of 2)");
            ran.add("load");
            Thread.sleep(30); // a load that takes measurable time, so its duration can be checked
        });
        lifecycle.addWarmupHook("first-inference", Duration.ofSeconds(10), () -> ran.add("infer"));
        assertThat(lifecycle.readiness().ok()).isFalse();
        assertThat(lifecycle.readiness().reasons()).containsExactly("warm-up has not run yet");
        assertThat(f.registry.get("llm.warmup.duration").tag("hook", "load-weights").timeGauge().value())
                .as("not run yet: no duration").isNaN();
        long before = System.nanoTime();
        assertThat(lifecycle.warmUp()).isTrue();
        double elapsedSeconds = (System.nanoTime() - before) / 1e9;
        assertThat(ran).containsExactly("load", "infer");
        assertThat(lifecycle.state()).isEqualTo(LifecycleState.READY);
        assertThat(lifecycle.readiness()).isEqualTo(new ProbeResult(true, LifecycleState.READY, List.of()));
        assertThat(transitions).containsExactly("STARTING->WARMING_UP", "WARMING_UP->READY");
        assertThat(f.registry.get("llm.warmup.duration").tag("hook", "load-weights").timeGauge().value(
                TimeUnit.SECONDS)).as("the hook's own time, within the warm-up's").isBetween(0.030, elapsedSeconds);
        assertThat(f.registry.get("llm.lifecycle.state").tag("state", "ready").gauge().value()).isEqualTo(1.0);
        assertThat(f.registry.get("llm.lifecycle.state").tag("state", "starting").gauge().value()).isZero();
    }

    @Test
    void failingHookKeepsTheServerUnreadyAndCanBeRetried() {
        AtomicInteger loads = new AtomicInteger();
        AtomicInteger attempts = new AtomicInteger();
        lifecycle.addWarmupHook("load", Duration.ofSeconds(10), loads::incrementAndGet);
        lifecycle.addWarmupHook("flaky", Duration.ofSeconds(10), () -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("CUDA out of memory");
            }
        });
        assertThat(lifecycle.warmUp()).isFalse();
        assertThat(lifecycle.state()).isEqualTo(LifecycleState.STARTING);
        ProbeResult readiness = lifecycle.readiness();
        assertThat(readiness.ok()).isFalse();
        assertThat(readiness.reasons()).singleElement().asString()
                .contains("hook 'flaky' failed").contains("CUDA out of memory").contains("waiting for a retry");
        assertThat(lifecycle.liveness().ok()).as("a failed warm-up is not a reason to restart").isTrue();

        assertThat(lifecycle.warmUp()).isTrue();
        assertThat(loads).as("succeeded hooks do not run again").hasValue(1);
        assertThat(attempts).hasValue(2);
        assertThat(lifecycle.readiness().ok()).isTrue();
    }

    @Test
    void asyncWarmUpRetriesATransientFailureUntilReady() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        lifecycle.addWarmupHook("gpu-init", Duration.ofSeconds(10), () -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException("CUDA driver not ready");
            }
        });
        assertThat(lifecycle.warmUpAsync(Duration.ofMillis(20), 5).get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(attempts).hasValue(3);
        assertThat(lifecycle.state()).isEqualTo(LifecycleState.READY);
    }

    @Test
    void asyncWarmUpGivesUpAfterItsAttemptsAndStaysUnready() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        lifecycle.addWarmupHook("broken", Duration.ofSeconds(10), () -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("weights missing");
        });
        assertThat(lifecycle.warmUpAsync(Duration.ofMillis(10), 3).get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(attempts).hasValue(3);
        assertThat(lifecycle.readiness().reasons()).singleElement().asString().contains("weights missing");
        assertThatThrownBy(() -> lifecycle.warmUpAsync(Duration.ZERO, 0)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> lifecycle.warmUpAsync(Duration.ofSeconds(-1), 2))
                .hasMessageContaining("must not be negative");
    }

    @Test
    void retriesStopWhenTheServerShutsDown() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        lifecycle.addWarmupHook("broken", Duration.ofSeconds(10), () -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("no GPU");
        });
        CompletableFuture<Boolean> warm = lifecycle.warmUpAsync(Duration.ofSeconds(30), 100);
        await(() -> attempts.get() == 1 && lifecycle.state() == LifecycleState.STARTING);
        lifecycle.stop();
        // the 30 s retry delay ends at once on the state change, and no further attempt runs
        assertThat(warm.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(attempts).hasValue(1);
        assertThat(lifecycle.warmUp()).isFalse();
    }

    @Test
    void hookPastItsTimeoutIsInterruptedAndFails() {
        CountDownLatch interrupted = new CountDownLatch(1);
        lifecycle.addWarmupHook("hangs", Duration.ofMillis(100), () -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
        });
        assertThat(lifecycle.warmUp()).isFalse();
        assertThat(lifecycle.readiness().reasons()).singleElement().asString()
                .contains("hook 'hangs' timed out after 100 ms");
        assertThat(awaitLatch(interrupted)).isTrue();
    }

    @Test
    void warmUpAsyncCompletesWithReadiness() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        lifecycle.addWarmupHook("slow-load", Duration.ofSeconds(30), release::await);
        CompletableFuture<Boolean> done = lifecycle.warmUpAsync();
        await(() -> lifecycle.state() == LifecycleState.WARMING_UP);
        assertThat(lifecycle.readiness().ok()).isFalse();
        assertThatThrownBy(lifecycle::warmUp).isInstanceOf(IllegalStateException.class);
        release.countDown();
        assertThat(done.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(lifecycle.readiness().ok()).isTrue();
        assertThatThrownBy(() -> lifecycle.addWarmupHook("late", Duration.ofSeconds(1), () -> { }))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void checksAddReasonsToProbes() {
        lifecycle.warmUp();
        lifecycle.addReadinessCheck("gpu", () -> Optional.of("GPU 0 lost"));
        lifecycle.addLivenessCheck("engine", () -> {
            throw new IllegalStateException("deadlocked");
        });
        assertThat(lifecycle.readiness().ok()).isFalse();
        assertThat(lifecycle.readiness().reasons()).containsExactly("gpu: GPU 0 lost");
        assertThat(lifecycle.liveness().ok()).isFalse();
        assertThat(lifecycle.liveness().reasons()).singleElement().asString().startsWith("engine: check failed");
    }

    @Test
    void drainRefusesNewWorkAndWaitsForInFlightAndQueued() throws Exception {
        lifecycle.warmUp();
        Fixture small = new Fixture(AdmissionLimits.builder().enabled(true).maxConcurrency(1).queueCapacity(2)
                .build());
        small.autoscale.lifecycle().warmUp();
        InferenceTracker t = small.autoscale.tracker();
        InferenceSpan running = t.start("m");
        CompletableFuture<Void> queued = CompletableFuture.runAsync(() -> t.run("m", () -> { }));
        await(() -> small.autoscale.load().queued() == 1);

        CompletableFuture<DrainResult> drain = CompletableFuture.supplyAsync(
                () -> small.autoscale.lifecycle().drain(Duration.ofSeconds(30)));
        await(() -> !small.autoscale.lifecycle().isAcceptingWork());
        assertThat(small.autoscale.lifecycle().state()).isEqualTo(LifecycleState.DRAINING);
        assertThat(small.autoscale.lifecycle().readiness().ok()).isFalse();
        AdmissionRejectedException refused = org.junit.jupiter.api.Assertions.assertThrows(
                AdmissionRejectedException.class, () -> t.start("m"));
        assertThat(refused.reason()).isEqualTo(RejectionReason.DRAINING);
        assertThat(refused.isDraining()).isTrue();
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(drain).isNotDone();

        running.success();
        running.close();
        DrainResult result = drain.get(10, TimeUnit.SECONDS);
        queued.get(10, TimeUnit.SECONDS);
        assertThat(result.drained()).isTrue();
        assertThat(result.remainingRunning()).isZero();
        assertThat(result.remainingQueued()).isZero();
        assertThat(small.count("m", InferenceStatus.SUCCESS)).as("admitted and queued work finished").isEqualTo(2);
        assertThat(small.count("m", InferenceStatus.REJECTED)).isEqualTo(1);
        assertThat(small.rejections("m", RejectionReason.DRAINING)).isEqualTo(1);
        assertThat(small.autoscale.lifecycle().liveness().ok()).as("drain alone keeps the pod alive").isTrue();
    }

    @Test
    void drainTimeoutReportsWhatWasLeft() {
        lifecycle.warmUp();
        InferenceSpan stuck = tracker.start("m");
        DrainResult result = lifecycle.drain(Duration.ofMillis(50));
        assertThat(result.drained()).isFalse();
        assertThat(result.remainingRunning()).isEqualTo(1);
        assertThat(result.waited()).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        stuck.success();
    }

    @Test
    void shutdownServesDuringThePreDrainDelayThenStops() throws Exception {
        lifecycle.warmUp();
        List<LifecycleState> states = new CopyOnWriteArrayList<>();
        lifecycle.addListener((from, to) -> states.add(to));
        // a delay far longer than the test: the checks below run inside it whatever the machine's speed, and an
        // interrupt of the shutdown thread ends it
        CompletableFuture<DrainResult> shutdown = new CompletableFuture<>();
        Thread sigterm = new Thread(() -> shutdown.complete(lifecycle.shutdown(Duration.ofMinutes(10),
                Duration.ofSeconds(10))), "sigterm");
        sigterm.start();
        await(() -> lifecycle.state() == LifecycleState.DRAINING);
        assertThat(lifecycle.readiness().ok()).isFalse();
        assertThat(lifecycle.readiness().reasons()).singleElement().asString().contains("pre-drain delay");
        // still serving during the delay: endpoints are being removed
        assertThat(lifecycle.isAcceptingWork()).isTrue();
        tracker.run("m", () -> { });
        assertThat(shutdown).as("still in the pre-drain delay").isNotDone();
        sigterm.interrupt();
        DrainResult result = shutdown.get(30, TimeUnit.SECONDS);
        assertThat(result.drained()).isTrue();
        assertThat(lifecycle.state()).isEqualTo(LifecycleState.STOPPED);
        assertThat(lifecycle.liveness().ok()).isFalse();
        assertThat(states).containsExactly(LifecycleState.DRAINING, LifecycleState.STOPPED);
        assertThat(f.count("m", InferenceStatus.SUCCESS)).isEqualTo(1);
        assertThatThrownBy(() -> tracker.start("m")).isInstanceOf(AdmissionRejectedException.class);
        assertThat(lifecycle.warmUp()).isFalse();
    }

    @Test
    void badHookArgumentsFail() {
        assertThatThrownBy(() -> lifecycle.addWarmupHook("x", Duration.ZERO, () -> { }))
                .hasMessageContaining("needs a positive timeout");
    }

    @Test
    void listenerFailureDoesNotStopOthers() {
        List<LifecycleState> seen = new CopyOnWriteArrayList<>();
        lifecycle.addListener((from, to) -> {
            throw new IllegalStateException("bad listener");
        });
        lifecycle.addListener((from, to) -> seen.add(to));
        lifecycle.warmUp();
        assertThat(seen).containsExactly(LifecycleState.WARMING_UP, LifecycleState.READY);
    }

    private static boolean awaitLatch(CountDownLatch latch) {
        try {
            return latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within 20 s");
            }
            Thread.sleep(2);
        }
    }
}
