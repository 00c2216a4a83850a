package dev.llmautoscale.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.admission.AdmissionLimits;
import dev.llmautoscale.admission.AdmissionRejectedException;
import dev.llmautoscale.admission.RejectionReason;
import dev.llmautoscale.metrics.InferenceStatus;
import dev.llmautoscale.metrics.MetricNames;
import dev.llmautoscale.metrics.LoadSnapshot;
import dev.llmautoscale.testing.Fixture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;

/**
 * Many threads, random outcomes (success, error, cancel, async, queue timeout, queue full, interrupt while queued):
 * afterwards active, queued and running are exactly 0 and every counter adds up to what the threads saw.
 */
class ConcurrencyStressTest {

    private static final int THREADS = 16;
    private static final int REQUESTS_PER_THREAD = 400;

    @Test
    void gaugesReturnToZeroAndCountersAddUp() throws Exception {
        Fixture f = new Fixture(AdmissionLimits.builder().enabled(true).maxConcurrency(4).queueCapacity(6)
                .maxQueueWait(Duration.ofMillis(20)).build());
        InferenceTracker tracker = f.autoscale.tracker();
        String[] models = {"llama-13b", "llama-70b", "mistral-7b"};
        AtomicLongArray seen = new AtomicLongArray(InferenceStatus.values().length);
        AtomicLong fullRejections = new AtomicLong();
        AtomicLong timeoutRejections = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        ExecutorService asyncPool = Executors.newFixedThreadPool(2);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            workers.add(pool.submit(() -> {
                go.await();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < REQUESTS_PER_THREAD; i++) {
                    String model = models[random.nextInt(models.length)];
                    int kind = random.nextInt(5);
                    try {
                        InferenceStatus outcome = runOne(tracker, model, kind, asyncPool, random);
                        seen.incrementAndGet(outcome.ordinal());
                    } catch (AdmissionRejectedException e) {
                        seen.incrementAndGet(InferenceStatus.REJECTED.ordinal());
                        (e.reason() == RejectionReason.QUEUE_FULL ? fullRejections : timeoutRejections)
                                .incrementAndGet();
                    } catch (CancellationException e) {
                        seen.incrementAndGet(InferenceStatus.CANCELLED.ordinal());
                        Thread.interrupted(); // clear the flag restored by the tracker
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> w : workers) {
            w.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        asyncPool.shutdown();
        assertThat(asyncPool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(f.gauge(MetricNames.ACTIVE_REQUESTS)).isZero();
        assertThat(f.gauge(MetricNames.QUEUE_DEPTH)).isZero();
        assertThat(f.autoscale.load().queued()).isZero();
        long total = 0;
        for (InferenceStatus s : InferenceStatus.values()) {
            long counted = 0;
            for (String m : models) {
                counted += f.count(m, s);
            }
            assertThat(counted).as("requests counted as %s", s).isEqualTo(seen.get(s.ordinal()));
            total += counted;
        }
        assertThat(total).isEqualTo((long) THREADS * REQUESTS_PER_THREAD);
        long full = 0;
        long timeouts = 0;
        for (String m : models) {
            LoadSnapshot.ModelLoad mm = f.modelLoad(m);
            assertThat(mm.running()).isZero();
            assertThat(mm.queued()).isZero();
            full += f.rejections(m, RejectionReason.QUEUE_FULL);
            timeouts += f.rejections(m, RejectionReason.QUEUE_TIMEOUT);
        }
        assertThat(full).isEqualTo(fullRejections.get());
        assertThat(timeouts).isEqualTo(timeoutRejections.get());
        assertThat(seen.get(InferenceStatus.REJECTED.ordinal())).as("the load did overflow").isPositive();
        // Every slot was returned: four requests can run at once again.
        List<InferenceSpan> four = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            four.add(tracker.start("llama-13b"));
        }
        four.forEach(InferenceSpan::success);
    }

    private static InferenceStatus runOne(InferenceTracker tracker, String model, int kind,
            ExecutorService asyncPool, ThreadLocalRandom random) throws Exception {
        switch (kind) {
            case 0: {
                try (InferenceSpan span = tracker.start(model)) {
                    span.tokens(random.nextInt(1, 4));
                    Thread.onSpinWait();
                    span.success();
                }
                return InferenceStatus.SUCCESS;
            }
            case 1: {
                try (InferenceSpan span = tracker.start(model)) {
                    span.tokens(1);
                    // closed without an outcome: error
                }
                return InferenceStatus.ERROR;
            }
            case 2: {
                InferenceSpan span = tracker.start(model);
                span.cancel();
                span.close();
                return InferenceStatus.CANCELLED;
            }
            case 3: {
                CompletableFuture<String> f = tracker.trackAsync(model,
                        () -> CompletableFuture.supplyAsync(() -> "x", asyncPool));
                f.get(30, TimeUnit.SECONDS);
                return InferenceStatus.SUCCESS;
            }
            default: {
                if (random.nextInt(20) == 0) {
                    // interrupt ourselves: a request that would wait in the queue gives up at once
                    Thread.currentThread().interrupt();
                }
                try {
                    tracker.run(model, () -> {
                        if (Thread.interrupted()) {
                            throw new CancellationException("interrupted while running");
                        }
                    });
                } finally {
                    Thread.interrupted();
                }
                return InferenceStatus.SUCCESS;
            }
        }
    }
}
