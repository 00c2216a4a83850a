package dev.llmautoscale.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmautoscale.metrics.InferenceStatus;
import dev.llmautoscale.metrics.MetricNames;
import dev.llmautoscale.testing.Fixture;
import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InferenceTrackerTest {

    private final Fixture f = new Fixture();
    private final InferenceTracker tracker = f.autoscale.tracker();

    @Test
    void callReturnsTheResultAndCountsSuccess() throws Exception {
        assertThat(tracker.call("m", () -> "hi")).isEqualTo("hi");
        assertThat(tracker.supply("m", () -> 42)).isEqualTo(42);
        tracker.run("m", () -> { });
        assertThat(f.count("m", InferenceStatus.SUCCESS)).isEqualTo(3);
        assertThat(f.gauge(MetricNames.ACTIVE_REQUESTS)).isZero();
    }

    @Test
    void exceptionsPropagateUnchangedAndCountAsError() {
        IOException io = new IOException("disk");
        assertThatThrownBy(() -> tracker.call("m", () -> {
            throw io;
        })).isSameAs(io);
        assertThatThrownBy(() -> tracker.supply("m", () -> {
            throw new IllegalArgumentException("bad prompt");
        })).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tracker.run("m", () -> {
            throw new OutOfMemoryError("test");
        })).isInstanceOf(OutOfMemoryError.class);
        assertThat(f.count("m", InferenceStatus.ERROR)).isEqualTo(3);
        assertThat(f.gauge(MetricNames.ACTIVE_REQUESTS)).isZero();
    }

    @Test
    void cancellationAndInterruptCountAsCancelled() {
        assertThatThrownBy(() -> tracker.call("m", () -> {
            throw new CancellationException("client left");
        })).isInstanceOf(CancellationException.class);
        assertThatThrownBy(() -> tracker.call("m", () -> {
            throw new InterruptedException();
        })).isInstanceOf(InterruptedException.class);
        assertThat(f.count("m", InferenceStatus.CANCELLED)).isEqualTo(2);
    }

    @Test
    void asyncOutcomeIsTakenWhenTheFutureCompletes() throws Exception {
        CompletableFuture<String> ok = new CompletableFuture<>();
        CompletableFuture<String> bad = new CompletableFuture<>();
        CompletableFuture<String> gone = new CompletableFuture<>();
        assertThat(tracker.trackAsync("m", () -> ok)).isSameAs(ok);
        tracker.trackAsync("m", () -> bad);
        tracker.trackAsync("m", () -> gone);
        assertThat(f.gauge(MetricNames.ACTIVE_REQUESTS)).isEqualTo(3.0);
        ok.complete("done");
        bad.completeExceptionally(new CompletionException(new IllegalStateException("gpu oom")));
        gone.cancel(true);
        assertThat(f.count("m", InferenceStatus.SUCCESS)).isEqualTo(1);
        assertThat(f.count("m", InferenceStatus.ERROR)).isEqualTo(1);
        assertThat(f.count("m", InferenceStatus.CANCELLED)).isEqualTo(1);
        assertThat(f.gauge(MetricNames.ACTIVE_REQUESTS)).isZero();
    }

    @Test
    void asyncOnOtherThreadsAndDependentStages() throws Exception {
        CompletableFuture<Integer> result = tracker.trackAsync("m",
                () -> CompletableFuture.supplyAsync(() -> 7).thenApply(x -> x * 6));
        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(42);
        CompletableFuture<Integer> failing = tracker.trackAsync("m",
                () -> CompletableFuture.supplyAsync(() -> 1).thenApply(x -> {
                    throw new IllegalStateException("x");
                }));
        assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
        awaitZeroActive();
        assertThat(f.count("m", InferenceStatus.SUCCESS)).isEqualTo(1);
        assertThat(f.count("m", InferenceStatus.ERROR)).isEqualTo(1);
    }

    @Test
    void asyncWorkThatThrowsBeforeReturningAStageCountsAsError() {
        assertThatThrownBy(() -> tracker.trackAsync("m", () -> {
            throw new IllegalStateException("no engine");
        })).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> tracker.trackAsync("m", () -> null)).isInstanceOf(NullPointerException.class);
        assertThat(f.count("m", InferenceStatus.ERROR)).isEqualTo(2);
        assertThat(f.gauge(MetricNames.ACTIVE_REQUESTS)).isZero();
    }

    @Test
    void decoratorsTrackEveryCall() throws Exception {
        var callable = tracker.wrapCallable("m", () -> 1);
        var supplier = tracker.wrapSupplier("m", () -> 2);
        var runnable = tracker.wrapRunnable("m", () -> { });
        callable.call();
        callable.call();
        supplier.get();
        runnable.run();
        assertThat(f.count("m", InferenceStatus.SUCCESS)).isEqualTo(4);
    }

    @Test
    void nullOrEmptyModelIsDefault() {
        tracker.run(null, () -> { });
        tracker.run("", () -> { });
        assertThat(f.count("default", InferenceStatus.SUCCESS)).isEqualTo(2);
    }

    @Test
    void kvCacheGaugeAppearsWhenFedAndIsClamped() {
        assertThat(f.registry.find(MetricNames.KV_CACHE_UTILIZATION).gauge()).isNull();
        tracker.kvCacheUtilization("m", 0.25);
        assertThat(f.registry.get(MetricNames.KV_CACHE_UTILIZATION).tag("model", "m").gauge().value())
                .isEqualTo(0.25);
        tracker.kvCacheUtilization("m", 1.7);
        assertThat(f.registry.get(MetricNames.KV_CACHE_UTILIZATION).gauge().value()).isEqualTo(1.0);
        tracker.kvCacheUtilization("m", -3);
        assertThat(f.registry.get(MetricNames.KV_CACHE_UTILIZATION).gauge().value()).isEqualTo(0.0);
    }

    private void awaitZeroActive() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (f.autoscale.load().running() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(f.autoscale.load().running()).isZero();
    }
}
