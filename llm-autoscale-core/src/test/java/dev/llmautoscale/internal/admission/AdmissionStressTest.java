package dev.llmautoscale.internal.admission;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Many threads over three models (two with their own limit), blocking and asynchronous admissions, cancellations
 * and interrupts, short queue waits. Every refusal the queue decides is recorded with the occupancy it was based on:
 * each must have happened while a slot the request needed (global, or its model's) was taken. At the end every slot
 * is back and the counters add up to the outcomes the callers saw.
 */
class AdmissionStressTest {

    private static final String[] MODELS = {"hot", "warm", "cold"};
    private static final int THREADS = 12;
    private static final int REQUESTS_PER_THREAD = 400;

    private final AtomicLongArray seen = new AtomicLongArray(InferenceStatus.values().length);
    private final AtomicLongArray refusedBy = new AtomicLongArray(RejectionReason.values().length);
    private final AtomicLong cancelledWhileQueued = new AtomicLong();
    private final AtomicInteger overLimit = new AtomicInteger();
    private final AtomicInteger[] running = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
    private final AtomicInteger runningAll = new AtomicInteger();

    @Test
    void withAQueue() throws Exception {
        run(AdmissionLimits.builder().enabled(true).maxConcurrency(5).queueCapacity(4)
                .maxQueueWait(Duration.ofMillis(1)).perModelMaxConcurrency(Map.of("hot", 1, "warm", 2)).build());
    }

    @Test
    void withoutAQueue() throws Exception {
        // queue capacity 0 (the Spring default): a refusal must never take the place of an admission next to it
        run(AdmissionLimits.builder().enabled(true).maxConcurrency(5).queueCapacity(0)
                .perModelMaxConcurrency(Map.of("hot", 1, "warm", 2)).build());
    }

    private void run(AdmissionLimits limits) throws Exception {
        Stack s = new Stack(limits);
        ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Thread thread = new Thread(() -> {
                try {
                    awaitUninterruptibly(go);
                    for (int i = 0; i < REQUESTS_PER_THREAD; i++) {
                        one(s, limits);
                    }
                } catch (Throwable e) {
                    unexpected.add(e);
                }
            }, "stress-" + t);
            thread.start();
            threads.add(thread);
        }
        // an interrupter: waiters blocked in start() get interrupted now and then
        Thread interrupter = new Thread(() -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            while (threads.stream().anyMatch(Thread::isAlive)) {
                threads.get(r.nextInt(THREADS)).interrupt();
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        go.countDown();
        interrupter.start();
        for (Thread t : threads) {
            t.join(TimeUnit.MINUTES.toMillis(3));
            assertThat(t.isAlive()).as("%s finished", t.getName()).isFalse();
        }
        interrupter.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(unexpected).isEmpty();
        assertThat(overLimit.get()).as("a limit was exceeded").isZero();

        s.assertIdle();
        long total = 0;
        for (InferenceStatus st : InferenceStatus.values()) {
            long counted = 0;
            for (String m : MODELS) {
                counted += s.count(m, st);
            }
            assertThat(counted).as("counted as %s", st).isEqualTo(seen.get(st.ordinal()));
            total += counted;
        }
        assertThat(total).isEqualTo((long) THREADS * REQUESTS_PER_THREAD);
        for (RejectionReason reason : RejectionReason.values()) {
            long counted = 0;
            for (String m : MODELS) {
                counted += s.rejections(m, reason);
            }
            assertThat(counted).as("refused for %s", reason).isEqualTo(refusedBy.get(reason.ordinal()));
        }
        assertThat(refusedBy.get(RejectionReason.QUEUE_FULL.ordinal())).as("the run produced overload: %s", seen)
                .isPositive();
        if (limits.queueCapacity() > 0) {
            assertThat(refusedBy.get(RejectionReason.QUEUE_TIMEOUT.ordinal())).as("and waits that timed out")
                    .isPositive();
            assertThat(s.queueTimeCount("hot") + s.queueTimeCount("warm") + s.queueTimeCount("cold"))
                    .as("admitted: fast and after waiting").isEqualTo(seen.get(InferenceStatus.SUCCESS.ordinal())
                            + seen.get(InferenceStatus.CANCELLED.ordinal()) - cancelledWhileQueued.get());
        }
        // every refusal a caller saw was decided by the queue, on occupancy with the slots it needed taken
        assertThat((long) s.refusals.size()).isGreaterThanOrEqualTo(refusedBy.get(RejectionReason.QUEUE_FULL.ordinal())
                + refusedBy.get(RejectionReason.QUEUE_TIMEOUT.ordinal()));
        for (Refusal r : s.refusals) {
            assertThat(r.globalFull() || r.modelFull()).as("refused next to a free slot: %s", r).isTrue();
            if (r.reason() == RejectionReason.QUEUE_FULL) {
                assertThat(r.queued()).as("queue full: %s", r).isGreaterThanOrEqualTo(r.queueCapacity());
            }
        }
        s.close();
    }

    private void one(Stack s, AdmissionLimits limits) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        int mi = r.nextInt(MODELS.length);
        String model = MODELS[mi];
        InferenceSpan span;
        try {
            if (r.nextBoolean()) {
                span = s.tracker.start(model);
            } else {
                CompletableFuture<InferenceSpan> f = s.tracker.startAsync(model);
                if (r.nextInt(8) == 0 && f.cancel(false)) {
                    seen.incrementAndGet(InferenceStatus.CANCELLED.ordinal());
                    cancelledWhileQueued.incrementAndGet();
                    return;
                }
                span = f.join();
            }
        } catch (AdmissionRejectedException e) {
            reject(e);
            return;
        } catch (java.util.concurrent.CompletionException e) {
            reject((AdmissionRejectedException) e.getCause());
            return;
        } catch (CancellationException e) {
            seen.incrementAndGet(InferenceStatus.CANCELLED.ordinal());
            cancelledWhileQueued.incrementAndGet();
            Thread.interrupted();
            return;
        }
        Thread.interrupted(); // an interrupt that came after admission is not this request's concern
        int limit = mi == 0 ? 1 : mi == 1 ? 2 : 0;
        int now = running[mi].incrementAndGet();
        int all = runningAll.incrementAndGet();
        if ((limit > 0 && now > limit) || all > limits.maxConcurrency()) {
            overLimit.incrementAndGet();
        }
        LockSupport.parkNanos(r.nextInt(300_000)); // hold the slot up to 0.3 ms: load, not synchronization
        running[mi].decrementAndGet();
        runningAll.decrementAndGet();
        if (r.nextInt(10) == 0) {
            span.cancel();
            seen.incrementAndGet(InferenceStatus.CANCELLED.ordinal());
        } else {
            span.success();
            seen.incrementAndGet(InferenceStatus.SUCCESS.ordinal());
        }
        span.close();
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                // the interrupter is already at work: wait on
            }
        }
    }

    private void reject(AdmissionRejectedException e) {
        seen.incrementAndGet(InferenceStatus.REJECTED.ordinal());
        refusedBy.incrementAndGet(e.reason().ordinal());
    }
}
