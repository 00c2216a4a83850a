package dev.llmautoscale.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmautoscale.admission.AdmissionLimits;
import dev.llmautoscale.admission.AdmissionRejectedException;
import dev.llmautoscale.admission.RejectionReason;
import dev.llmautoscale.settings.InvalidSettingsException;
import dev.llmautoscale.settings.SettingsReader;
import dev.llmautoscale.settings.SettingsSource;
import dev.llmautoscale.testing.Fixture;
import dev.llmautoscale.tracking.InferenceSpan;
import dev.llmautoscale.tracking.InferenceTracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DrainTriggerTest {

    /** Short in tests; the public {@link DrainTrigger#start(Path, InferenceLifecycle)} checks once a second. */
    private static final Duration FAST = Duration.ofMillis(20);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final Fixture f = new Fixture(AdmissionLimits.builder().enabled(true).maxConcurrency(1).queueCapacity(2)
            .build());
    private final InferenceLifecycle lifecycle = f.autoscale.lifecycle();
    private final InferenceTracker tracker = f.autoscale.tracker();
    private DrainTrigger trigger;

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        if (trigger != null) {
            trigger.close();
        }
    }

    private void ready() {
        lifecycle.addWarmupHook("load", Duration.ofSeconds(5), () -> { });
        assertThat(lifecycle.warmUp()).isTrue();
    }

    @Test
    void theFileAppearingDrainsRunningAndQueuedWorkFinishesNewWorkIsRefused() throws Exception {
        ready();
        Path file = dir.resolve("shutdown");
        trigger = DrainTrigger.start(file, lifecycle, FAST);
        assertThat(trigger.presentAtStart()).isFalse();
        InferenceSpan running = tracker.start("m");
        CompletableFuture<InferenceSpan> queued = CompletableFuture.supplyAsync(() -> tracker.start("m"));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (f.autoscale.load().queued() == 0) {
            assertThat(System.nanoTime() < deadline).as("the second request queued").isTrue();
            Thread.sleep(1);
        }
        assertThat(trigger.fired()).isFalse();
        assertThat(lifecycle.state()).isEqualTo(LifecycleState.READY);

        Files.createFile(file); // the guide's touch /tmp/shutdown
        assertThat(trigger.awaitFired(WAIT)).isTrue();
        assertThat(lifecycle.state()).isEqualTo(LifecycleState.DRAINING);
        assertThat(lifecycle.readiness().ok()).isFalse();
        assertThat(lifecycle.liveness().ok()).as("alive: no restart").isTrue();
        assertThat(lifecycle.isAcceptingWork()).isFalse();
        // New work: refused as draining, and counted so.
        assertThatThrownBy(() -> tracker.start("m")).isInstanceOfSatisfying(AdmissionRejectedException.class,
                e -> assertThat(e.reason()).isEqualTo(RejectionReason.DRAINING));
        assertThat(f.registry.get("llm.requests.rejected").tag("reason", "draining").counter().count())
                .isEqualTo(1.0);
        // What was running and queued finishes.
        running.success();
        running.close();
        InferenceSpan second = queued.get(30, TimeUnit.SECONDS);
        second.success();
        second.close();
        assertThat(f.autoscale.load().inFlight()).isZero();
        // A SIGTERM afterwards: no pre-drain delay (a minute here would fail the test's deadline), drained at once.
        long start = System.nanoTime();
        DrainResult r = lifecycle.shutdown(Duration.ofMinutes(1), Duration.ofSeconds(5));
        assertThat(r.drained()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertThat(lifecycle.state()).isEqualTo(LifecycleState.STOPPED);
    }

    @Test
    void aFileLeftOverAtStartupIsLoggedAndIgnoredUntilTouchedAgain() throws Exception {
        ready();
        Path file = Files.createFile(dir.resolve("shutdown"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(3600)));
        trigger = DrainTrigger.start(file, lifecycle, FAST);
        assertThat(trigger.presentAtStart()).isTrue();
        // Several checks later it is still serving: the old file is not a request to drain.
        assertThat(trigger.awaitFired(FAST.multipliedBy(10))).isFalse();
        assertThat(lifecycle.state()).isEqualTo(LifecycleState.READY);
        assertThat(lifecycle.isAcceptingWork()).isTrue();
        // touch: a newer modification time.
        Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
        assertThat(trigger.awaitFired(WAIT)).isTrue();
        assertThat(lifecycle.state()).isEqualTo(LifecycleState.DRAINING);
    }

    @Test
    void aFileLeftOverAtStartupThatIsDeletedAndCreatedAgainDrains() throws Exception {
        ready();
        Path file = Files.createFile(dir.resolve("shutdown"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(3600)));
        trigger = DrainTrigger.start(file, lifecycle, FAST);
        Files.delete(file);
        assertThat(lifecycle.isAcceptingWork()).isTrue();
        // Whether or not a check saw it gone, the new file is another one (newer, another inode or both).
        Files.createFile(file);
        assertThat(trigger.awaitFired(WAIT)).isTrue();
        assertThat(lifecycle.isAcceptingWork()).isFalse();
    }

    @Test
    void aShutdownThatBeganFirstKeepsItsOwnSequence() throws Exception {
        ready();
        Path file = dir.resolve("shutdown");
        trigger = DrainTrigger.start(file, lifecycle, FAST);
        CountDownLatch draining = new CountDownLatch(1);
        lifecycle.addListener((from, to) -> {
            if (to == LifecycleState.DRAINING) {
                draining.countDown();
            }
        });
        // SIGTERM first, with a long pre-drain delay: still serving while endpoints are removed.
        CompletableFuture<DrainResult> result = new CompletableFuture<>();
        Thread sigterm = new Thread(() -> result.complete(lifecycle.shutdown(Duration.ofMinutes(5),
                Duration.ofSeconds(5))));
        sigterm.start();
        assertThat(draining.await(30, TimeUnit.SECONDS)).isTrue();
        Files.createFile(file);
        // The watch sees the file, finds a shutdown under way and ends without cutting its delay short.
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (trigger.watching()) {
            assertThat(System.nanoTime() < deadline).as("the watch ends").isTrue();
            Thread.sleep(5);
        }
        assertThat(trigger.fired()).isFalse();
        assertThat(lifecycle.isAcceptingWork()).as("still serving in the pre-drain delay").isTrue();
        sigterm.interrupt(); // ends the delay early
        assertThat(result.get(30, TimeUnit.SECONDS).drained()).isTrue();
        assertThat(lifecycle.state()).isEqualTo(LifecycleState.STOPPED);
    }

    @Test
    void closedOrStoppedItWatchesNoMore() throws Exception {
        ready();
        Path file = dir.resolve("shutdown");
        trigger = DrainTrigger.start(file, lifecycle, FAST);
        trigger.close();
        Files.createFile(file);
        assertThat(trigger.awaitFired(FAST.multipliedBy(10))).isFalse();
        assertThat(lifecycle.isAcceptingWork()).isTrue();
    }

    @Test
    void theSettingNamesTheFileAndCanSwitchItOff() {
        assertThat(LifecycleSettings.defaults().drainTriggerFile()).isEqualTo("/tmp/shutdown");
        LifecycleSettings off = LifecycleKeys.read(new SettingsReader(
                SettingsSource.of(Map.of("llm.autoscale.lifecycle.drain-trigger-file", ""))));
        assertThat(off.drainTriggerFile()).isNull();
        assertThat(DrainTrigger.start(off, lifecycle)).isNull();
        LifecycleSettings other = LifecycleKeys.read(new SettingsReader(
                SettingsSource.of(Map.of("llm.autoscale.lifecycle.drain-trigger-file", "/var/run/drain"))));
        assertThat(other.drainTriggerFile()).isEqualTo("/var/run/drain");
        SettingsReader bad = new SettingsReader(SettingsSource.of(Map.of("llm.autoscale.lifecycle.drain-trigger-file", "tmp/x")));
        LifecycleKeys.read(bad);
        assertThatThrownBy(bad::throwIfInvalid).isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("llm.autoscale.lifecycle.drain-trigger-file")
                .hasMessageContaining("must be an absolute file path, got 'tmp/x'");
        assertThatThrownBy(() -> LifecycleSettings.builder().drainTriggerFile("relative").build())
                .isInstanceOf(InvalidSettingsException.class).hasMessageContaining("drain-trigger-file");
    }
}
