package dev.llmautoscale.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmautoscale.metrics.InferenceStatus;
import dev.llmautoscale.metrics.MetricNames;
import dev.llmautoscale.testing.Fixture;
import dev.llmautoscale.tracking.InferenceSpan;
import dev.llmautoscale.tracking.InferenceTracker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdmissionControllerTest {

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
    }

    private static AdmissionLimits.Builder limits() {
        return AdmissionLimits.builder().enabled(true);
    }

    @Test
    void refusesAtOnceWhenSlotsAndQueueAreFull() {
        Fixture f = new Fixture(limits().maxConcurrency(2).queueCapacity(0).retryAfter(Duration.ofMillis(1500))
                .build());
        InferenceTracker tracker = f.autoscale.tracker();
        InferenceSpan a = tracker.start("m");
        InferenceSpan b = tracker.start("m");
        AdmissionRejectedException e = org.junit.jupiter.api.Assertions.assertThrows(
                AdmissionRejectedException.class, () -> tracker.start("m"));
        assertThat(e.reason()).isEqualTo(RejectionReason.QUEUE_FULL);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(1500));
        assertThat(e.retryAfterSeconds()).isEqualTo(2);
        assertThat(e.isDraining()).isFalse();
        assertThat(e.model()).isEqualTo("m");
        assertThat(e).hasMessageContaining("all 2 concurrency slots are busy").hasMessageContaining("retry after 2 s");
        assertThat(f.count("m", InferenceStatus.REJECTED)).isEqualTo(1);
        assertThat(f.rejections("m", RejectionReason.QUEUE_FULL)).isEqualTo(1);
        assertThat(f.gauge(MetricNames.ACTIVE_REQUESTS)).isEqualTo(2.0);
        assertThat(f.registry.get(MetricNames.CAPACITY_UTILIZATION).tag("model", "m").gauge().value())
                .isEqualTo(1.0);
        a.success();
        a.close();
        tracker.start("m").success();
        b.success();
        assertThat(f.gauge(MetricNames.ACTIVE_REQUESTS)).isZero();
        assertThat(f.registry.get(MetricNames.CAPACITY_UTILIZATION).gauge().value()).isZero();
    }

    @Test
    void waitingRequestsAreTheQueueDepthAndAreAdmittedInOrder() throws Exception {
        Fixture f = new Fixture(limits().maxConcurrency(1).queueCapacity(3).maxQueueWait(Duration.ofSeconds(30))
                .build());
        InferenceTracker tracker = f.autoscale.tracker();
        InferenceSpan holder = tracker.start("m");
        List<Integer> order = new CopyOnWriteArrayList<>();
        List<Future<?>> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int id = i;
            waiters.add(pool.submit(() -> {
                try (InferenceSpan s = tracker.start("m")) {
                    order.add(id);
                    s.success();
                }
            }));
            int expected = i + 1;
            await(() -> f.gauge(MetricNames.QUEUE_DEPTH) == expected);
        }
        assertThat(f.registry.get(MetricNames.REQUESTS_WAITING).tag("model", "m").gauge().value()).isEqualTo(3.0);
        assertThat(f.autoscale.load().queued()).isEqualTo(3);
        // the queue is full: the next one is refused at once
        assertThatThrownBy(() -> tracker.start("m")).isInstanceOf(AdmissionRejectedException.class)
                .extracting(e -> ((AdmissionRejectedException) e).reason()).isEqualTo(RejectionReason.QUEUE_FULL);
        holder.success();
        holder.close();
        for (Future<?> w : waiters) {
            w.get(10, TimeUnit.SECONDS);
        }
        assertThat(order).containsExactly(0, 1, 2);
        assertThat(f.gauge(MetricNames.QUEUE_DEPTH)).isZero();
        assertThat(f.count("m", InferenceStatus.SUCCESS)).isEqualTo(4);
        assertThat(f.timerCount(MetricNames.QUEUE_TIME, "m")).isEqualTo(4);
    }

    @Test
    void refusesARequestThatWaitedTooLong() {
        Fixture f = new Fixture(limits().maxConcurrency(1).queueCapacity(5).maxQueueWait(Duration.ofMillis(50))
                .build());
        InferenceTracker tracker = f.autoscale.tracker();
        InferenceSpan holder = tracker.start("m");
        long start = System.nanoTime();
        assertThatThrownBy(() -> tracker.start("m")).isInstanceOf(AdmissionRejectedException.class)
                .extracting(e -> ((AdmissionRejectedException) e).reason())
                .isEqualTo(RejectionReason.QUEUE_TIMEOUT);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(f.gauge(MetricNames.QUEUE_DEPTH)).isZero();
        assertThat(f.rejections("m", RejectionReason.QUEUE_TIMEOUT)).isEqualTo(1);
        holder.success();
        assertThat(f.gauge(MetricNames.ACTIVE_REQUESTS)).isZero();
    }

    @Test
    void callerInterruptedWhileWaitingLeavesNothingBehind() throws Exception {
        Fixture f = new Fixture(limits().maxConcurrency(1).queueCapacity(5).maxQueueWait(Duration.ofMinutes(5))
                .build());
        InferenceTracker tracker = f.autoscale.tracker();
        InferenceSpan holder = tracker.start("m");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<Boolean> interruptFlag = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            try {
                tracker.start("m");
            } catch (Throwable t) {
                thrown.set(t);
                interruptFlag.set(Thread.currentThread().isInterrupted());
            }
        });
        waiter.start();
        await(() -> f.gauge(MetricNames.QUEUE_DEPTH) == 1);
        waiter.interrupt();
        waiter.join(10_000);
        assertThat(thrown.get()).isInstanceOf(CancellationException.class);
        assertThat(interruptFlag.get()).isTrue();
        assertThat(f.gauge(MetricNames.QUEUE_DEPTH)).isZero();
        assertThat(f.count("m", InferenceStatus.CANCELLED)).isEqualTo(1);
        holder.success();
        holder.close();
        // no permit leaked: the single slot is free again
        tracker.start("m").success();
        assertThat(f.count("m", InferenceStatus.SUCCESS)).isEqualTo(2);
    }

    @Test
    void perModelLimitsApplyOnTopOfTheGlobalOne() {
        Fixture f = new Fixture(limits().maxConcurrency(4).queueCapacity(0)
                .perModelMaxConcurrency(Map.of("big", 1)).build());
        InferenceTracker tracker = f.autoscale.tracker();
        InferenceSpan big = tracker.start("big");
        assertThatThrownBy(() -> tracker.start("big")).isInstanceOf(AdmissionRejectedException.class);
        InferenceSpan s1 = tracker.start("small");
        InferenceSpan s2 = tracker.start("small");
        InferenceSpan s3 = tracker.start("small");
        assertThatThrownBy(() -> tracker.start("small")).isInstanceOf(AdmissionRejectedException.class);
        assertThat(f.registry.get(MetricNames.CAPACITY_UTILIZATION).tag("model", "big").gauge().value())
                .isEqualTo(1.0);
        assertThat(f.registry.get(MetricNames.CAPACITY_UTILIZATION).tag("model", "small").gauge().value())
                .isEqualTo(0.75);
        for (InferenceSpan s : List.of(big, s1, s2, s3)) {
            s.success();
        }
        assertThat(f.count("big", InferenceStatus.REJECTED)).isEqualTo(1);
        assertThat(f.count("small", InferenceStatus.REJECTED)).isEqualTo(1);
        tracker.start("big").success();
    }

    @Test
    void disabledAdmissionNeverRefuses() throws Exception {
        Fixture f = new Fixture(AdmissionLimits.builder().maxConcurrency(1).build());
        InferenceTracker tracker = f.autoscale.tracker();
        List<InferenceSpan> spans = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            spans.add(tracker.start("m"));
        }
        assertThat(f.gauge(MetricNames.ACTIVE_REQUESTS)).isEqualTo(10.0);
        // the known capacity still feeds the utilization gauge (capped at 1)
        assertThat(f.registry.get(MetricNames.CAPACITY_UTILIZATION).gauge().value()).isEqualTo(1.0);
        spans.forEach(InferenceSpan::success);
        assertThat(f.count("m", InferenceStatus.REJECTED)).isZero();
    }

    @Test
    void queuedAsyncRequestIsAdmittedWhenASlotFrees() throws Exception {
        Fixture f = new Fixture(limits().maxConcurrency(1).queueCapacity(1).build());
        InferenceTracker tracker = f.autoscale.tracker();
        CompletableFuture<String> first = new CompletableFuture<>();
        tracker.trackAsync("m", () -> first);
        Future<CompletableFuture<String>> second = pool.submit(
                () -> tracker.trackAsync("m", () -> CompletableFuture.completedFuture("b")));
        await(() -> f.gauge(MetricNames.QUEUE_DEPTH) == 1);
        first.complete("a");
        assertThat(second.get(10, TimeUnit.SECONDS).join()).isEqualTo("b");
        assertThat(f.count("m", InferenceStatus.SUCCESS)).isEqualTo(2);
    }

    @Test
    void invalidLimitsFailWithClearMessages() {
        assertThatThrownBy(() -> AdmissionLimits.builder().maxConcurrency(-1).build())
                .hasMessageContaining("llm.autoscale.admission.max-concurrency must be at least 0");
        assertThatThrownBy(() -> AdmissionLimits.builder().queueCapacity(-5).build())
                .hasMessageContaining("llm.autoscale.admission.queue-capacity must be at least 0");
        assertThatThrownBy(() -> AdmissionLimits.builder().maxQueueWait(Duration.ofSeconds(-1)).build())
                .hasMessageContaining("llm.autoscale.admission.max-queue-wait must not be negative");
        assertThatThrownBy(() -> AdmissionLimits.builder().enabled(true).build())
                .hasMessageContaining("no limit is set");
        assertThatThrownBy(() -> AdmissionLimits.builder().perModelMaxConcurrency(Map.of("m", 0)).build())
                .hasMessageContaining("llm.autoscale.admission.per-model-max-concurrency must give model 'm' a limit of at least 1");
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
