package dev.llmautoscale.internal.admission;

import static dev.llmautoscale.internal.admission.Stack.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmautoscale.admission.AdmissionLimits;
import dev.llmautoscale.admission.AdmissionRejectedException;
import dev.llmautoscale.admission.RejectionReason;
import dev.llmautoscale.metrics.InferenceStatus;
import dev.llmautoscale.tracking.InferenceSpan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Admission with per-model limits: each path of a model's waiters, and fairness between models. */
class PerModelAdmissionTest {

    private static AdmissionLimits.Builder limits() {
        return AdmissionLimits.builder().enabled(true).maxQueueWait(Duration.ofMinutes(5));
    }

    private static Throwable failureOf(CompletableFuture<?> f) {
        try {
            f.get(30, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + f.join());
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static InferenceSpan spanOf(CompletableFuture<InferenceSpan> f) {
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The reproduction: a hot model's waiters fill the queue; an idle model still runs at once. */
    @Test
    void aSaturatedModelsWaitersNeverRefuseAnotherModelWithFreeSlots() {
        try (Stack s = new Stack(limits().maxConcurrency(10).queueCapacity(2)
                .perModelMaxConcurrency(Map.of("hot", 1)).build())) {
            InferenceSpan hot = s.tracker.start("hot");
            CompletableFuture<InferenceSpan> w1 = s.tracker.startAsync("hot");
            CompletableFuture<InferenceSpan> w2 = s.tracker.startAsync("hot");
            assertThat(w1).isNotDone();
            assertThat(w2).isNotDone();
            assertThat(s.model("hot").queued()).isEqualTo(2);

            List<InferenceSpan> cold = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                cold.add(s.tracker.start("cold")); // 9 of the 10 slots were free: never refused, never queued
                assertThat(s.model("cold").queued()).isZero();
            }
            assertThat(s.load().running()).isEqualTo(10);
            assertThat(s.rejections("cold", RejectionReason.QUEUE_FULL)).isZero();

            // now every global slot is busy and the queue is full: a refusal, with the right reason and message
            assertThatThrownBy(() -> s.tracker.start("cold")).isInstanceOf(AdmissionRejectedException.class)
                    .hasMessageContaining("all 10 concurrency slots are busy and the wait queue is full "
                            + "(2 of 2 places taken)");
            assertThatThrownBy(() -> s.tracker.start("hot")).isInstanceOf(AdmissionRejectedException.class)
                    .hasMessageContaining("all 1 concurrency slots of model 'hot' are busy");
            assertThat(s.refusals).hasSize(2).allMatch(r -> r.reason() == RejectionReason.QUEUE_FULL)
                    .allMatch(r -> r.globalFull() || r.modelFull());

            cold.forEach(InferenceSpan::close);
            hot.close();
            spanOf(w1).close();
            spanOf(w2).close();
            s.assertIdle();
            assertThat(s.count("cold", InferenceStatus.REJECTED)).isEqualTo(1);
            assertThat(s.count("hot", InferenceStatus.REJECTED)).isEqualTo(1);
        }
    }

    @Test
    void aWaiterForAModelSlotIsAdmittedWhenTheModelsSlotIsReturned() {
        try (Stack s = new Stack(limits().maxConcurrency(4).queueCapacity(4)
                .perModelMaxConcurrency(Map.of("hot", 1)).build())) {
            InferenceSpan first = s.tracker.start("hot");
            CompletableFuture<InferenceSpan> second = s.tracker.startAsync("hot");
            assertThat(second).as("the model's slot is taken; three global slots are free").isNotDone();
            assertThat(s.model("hot").queued()).isEqualTo(1);
            assertThat(s.admission.globalTaken()).as("a waiter holds no slot").isEqualTo(1);
            first.success();
            first.close();
            InferenceSpan admitted = spanOf(second);
            assertThat(s.model("hot").running()).isEqualTo(1);
            assertThat(s.model("hot").queued()).isZero();
            assertThat(s.queueTimeCount("hot")).isEqualTo(2);
            admitted.success();
            admitted.close();
            s.assertIdle();
            assertThat(s.count("hot", InferenceStatus.SUCCESS)).isEqualTo(2);
        }
    }

    @Test
    void aWaiterForAModelSlotTimesOutWithTheModelsMessageAndLeavesNothingBehind() {
        try (Stack s = new Stack(limits().maxConcurrency(4).queueCapacity(4).maxQueueWait(Duration.ofMillis(100))
                .perModelMaxConcurrency(Map.of("hot", 1)).build())) {
            InferenceSpan first = s.tracker.start("hot");
            Throwable t = failureOf(s.tracker.startAsync("hot"));
            assertThat(t).isInstanceOf(AdmissionRejectedException.class).hasMessageContaining(
                    "all 1 concurrency slots of model 'hot' are busy and none became free within 100 ms");
            assertThat(((AdmissionRejectedException) t).reason()).isEqualTo(RejectionReason.QUEUE_TIMEOUT);
            assertThat(s.refusals).singleElement().satisfies(r -> {
                assertThat(r.reason()).isEqualTo(RejectionReason.QUEUE_TIMEOUT);
                assertThat(r.modelFull()).as("refused while the model's slot was taken").isTrue();
                assertThat(r.globalFull()).isFalse();
            });
            assertThat(s.model("hot").queued()).isZero();
            assertThat(s.rejections("hot", RejectionReason.QUEUE_TIMEOUT)).isEqualTo(1);
            first.close();
            s.assertIdle();
            // the model's slot is usable again at once
            s.tracker.start("hot").close();
            s.assertIdle();
        }
    }

    @Test
    void aGlobalTimeoutLeavesTheModelsSlotFree() {
        try (Stack s = new Stack(limits().maxConcurrency(1).queueCapacity(4).maxQueueWait(Duration.ofMillis(100))
                .perModelMaxConcurrency(Map.of("a", 1)).build())) {
            InferenceSpan b = s.tracker.start("b");
            Throwable t = failureOf(s.tracker.startAsync("a"));
            assertThat(t).hasMessageContaining("all 1 concurrency slots are busy and none became free within 100 ms");
            assertThat(s.refusals).singleElement().matches(Refusal::globalFull).matches(r -> !r.modelFull());
            assertThat(s.model("a").running()).isZero();
            b.close();
            // had the waiter kept a's slot, this would queue and time out
            InferenceSpan a = s.tracker.start("a");
            assertThat(s.model("a").running()).isEqualTo(1);
            a.close();
            s.assertIdle();
        }
    }

    @Test
    void anInterruptedWaiterGivesBackEverythingAndCountsAsCancelled() throws Exception {
        try (Stack s = new Stack(limits().maxConcurrency(1).queueCapacity(4)
                .perModelMaxConcurrency(Map.of("a", 1)).build())) {
            InferenceSpan b = s.tracker.start("b");
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicReference<Boolean> flag = new AtomicReference<>();
            Thread waiter = new Thread(() -> {
                try {
                    s.tracker.start("a").close();
                } catch (Throwable e) {
                    thrown.set(e);
                    flag.set(Thread.currentThread().isInterrupted());
                }
            });
            waiter.start();
            await("a queued", () -> s.model("a").queued() == 1);
            waiter.interrupt();
            waiter.join(TimeUnit.SECONDS.toMillis(30));
            assertThat(thrown.get()).isInstanceOf(CancellationException.class).hasMessageContaining("model 'a'");
            assertThat(flag.get()).as("interrupt flag restored").isTrue();
            assertThat(s.count("a", InferenceStatus.CANCELLED)).isEqualTo(1);
            assertThat(s.model("a").queued()).isZero();
            b.close();
            s.assertIdle();
            s.tracker.start("a").close();
            s.tracker.start("b").close();
            s.assertIdle();
            assertThat(s.refusals).isEmpty();
        }
    }

    @Test
    void cancellingAnAsyncWaiterTakesItOutOfTheQueue() {
        try (Stack s = new Stack(limits().maxConcurrency(1).queueCapacity(1).build())) {
            InferenceSpan holder = s.tracker.start("m");
            CompletableFuture<InferenceSpan> waiting = s.tracker.startAsync("m");
            assertThat(s.load().queued()).isEqualTo(1);
            assertThat(waiting.cancel(true)).isTrue();
            assertThat(s.load().queued()).as("its queue place is free again").isZero();
            CompletableFuture<InferenceSpan> next = s.tracker.startAsync("m");
            assertThat(next).as("queued in the freed place, not refused").isNotDone();
            holder.close();
            spanOf(next).close();
            s.assertIdle();
            assertThat(s.count("m", InferenceStatus.CANCELLED)).isEqualTo(1);
            assertThat(s.count("m", InferenceStatus.REJECTED)).isZero();
            assertThat(s.count("m", InferenceStatus.ERROR)).isEqualTo(2);
        }
    }

    @Test
    void aNewcomerNeverOvertakesAWaiterOfItsModel() {
        try (Stack s = new Stack(limits().maxConcurrency(1).queueCapacity(8).build())) {
            InferenceSpan holder = s.tracker.start("m");
            List<CompletableFuture<InferenceSpan>> waiters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiters.add(s.tracker.startAsync("m"));
            }
            holder.close(); // frees the slot for the oldest waiter, while a newcomer arrives
            CompletableFuture<InferenceSpan> newcomer = s.tracker.startAsync("m");
            assertThat(waiters.get(0)).isDone();
            assertThat(newcomer).as("the newcomer queues behind the two that wait").isNotDone();
            for (int i = 0; i < 3; i++) {
                assertThat(waiters.get(i)).isDone();
                for (int j = i + 1; j < 3; j++) {
                    assertThat(waiters.get(j)).isNotDone();
                }
                assertThat(newcomer).isNotDone();
                spanOf(waiters.get(i)).close();
            }
            spanOf(newcomer).close();
            s.assertIdle();
        }
    }

    @Test
    void waitersOfDifferentModelsDoNotBlockEachOther() {
        try (Stack s = new Stack(limits().maxConcurrency(4).queueCapacity(8)
                .perModelMaxConcurrency(Map.of("hot", 1)).build())) {
            InferenceSpan hot = s.tracker.start("hot");
            CompletableFuture<InferenceSpan> hotWaiter1 = s.tracker.startAsync("hot");
            CompletableFuture<InferenceSpan> hotWaiter2 = s.tracker.startAsync("hot");
            List<InferenceSpan> cold = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                cold.add(s.tracker.start("cold")); // behind the hot waiters in time, but not blocked by them
            }
            CompletableFuture<InferenceSpan> coldWaiter = s.tracker.startAsync("cold");
            assertThat(coldWaiter).as("every global slot is busy").isNotDone();
            cold.remove(0).close();
            assertThat(coldWaiter).as("the freed global slot goes to the cold waiter, whose model has room, not to "
                    + "the older hot waiters, whose model has none").isDone();
            assertThat(hotWaiter1).isNotDone();
            hot.close();
            assertThat(hotWaiter1).as("hot's slot returned and a global slot came with it").isDone();
            assertThat(hotWaiter2).isNotDone();
            spanOf(hotWaiter1).close();
            spanOf(hotWaiter2).close();
            spanOf(coldWaiter).close();
            cold.forEach(InferenceSpan::close);
            s.assertIdle();
            assertThat(s.refusals).isEmpty();
        }
    }

    @Test
    void theOldestWaiterThatCanRunGoesFirstAcrossModels() {
        try (Stack s = new Stack(limits().maxConcurrency(1).queueCapacity(8).build())) {
            InferenceSpan holder = s.tracker.start("x");
            CompletableFuture<InferenceSpan> a1 = s.tracker.startAsync("a");
            CompletableFuture<InferenceSpan> b1 = s.tracker.startAsync("b");
            CompletableFuture<InferenceSpan> a2 = s.tracker.startAsync("a");
            holder.close();
            assertThat(a1).isDone();
            assertThat(b1).isNotDone();
            spanOf(a1).close();
            assertThat(b1).isDone();
            assertThat(a2).isNotDone();
            spanOf(b1).close();
            spanOf(a2).close();
            s.assertIdle();
        }
    }

    @Test
    void queueCapacityZeroRefusesOnlyWhenTheSlotsAreTaken() {
        try (Stack s = new Stack(limits().maxConcurrency(2).queueCapacity(0)
                .perModelMaxConcurrency(Map.of("a", 1)).build())) {
            InferenceSpan a = s.tracker.start("a");
            assertThatThrownBy(() -> s.tracker.start("a")).hasMessageContaining(
                    "all 1 concurrency slots of model 'a' are busy and queueing is off (queue capacity 0)");
            InferenceSpan b = s.tracker.start("b");
            assertThatThrownBy(() -> s.tracker.start("b")).hasMessageContaining(
                    "all 2 concurrency slots are busy and queueing is off");
            assertThat(s.refusals).hasSize(2).allMatch(r -> r.globalFull() || r.modelFull());
            assertThat(s.load().queued()).isZero();
            a.close();
            b.close();
            s.assertIdle();
        }
    }

    @Test
    void aLongChainOfWaitersWhoseContinuationsEndAtOnceRunsAsALoop() {
        // each admission's continuation ends its span on the same thread, releasing the slot for the next waiter:
        // handled recursively that would be tens of thousands of nested frames and a StackOverflowError
        int n = 20_000;
        try (Stack s = new Stack(limits().maxConcurrency(1).queueCapacity(n).build())) {
            InferenceSpan holder = s.tracker.start("m");
            List<CompletableFuture<Void>> chain = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                chain.add(s.tracker.startAsync("m").thenAccept(span -> {
                    span.success();
                    span.close();
                }));
            }
            assertThat(s.load().queued()).isEqualTo(n);
            holder.close();
            // a continuation that died of a StackOverflowError would leave its slot taken and the rest waiting
            assertThat(CompletableFuture.allOf(chain.toArray(new CompletableFuture<?>[0])))
                    .succeedsWithin(Duration.ofSeconds(60));
            s.assertIdle();
            assertThat(s.count("m", InferenceStatus.SUCCESS)).isEqualTo(n);
        }
    }

    @Test
    void closingTheControllerRefusesTheWaiters() {
        Stack s = new Stack(limits().maxConcurrency(1).queueCapacity(2).build());
        InferenceSpan holder = s.tracker.start("m");
        CompletableFuture<InferenceSpan> waiting = s.tracker.startAsync("m");
        s.close();
        assertThat(failureOf(waiting)).isInstanceOf(AdmissionRejectedException.class)
                .hasMessageContaining("shutting down");
        assertThat(s.load().queued()).isZero();
        holder.close();
        s.assertIdle();
        assertThat(s.rejections("m", RejectionReason.DRAINING)).isEqualTo(1);
    }
}
