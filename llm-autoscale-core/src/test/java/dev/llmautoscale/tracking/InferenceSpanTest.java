package dev.llmautoscale.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.metrics.InferenceStatus;
import dev.llmautoscale.metrics.MetricNames;
import dev.llmautoscale.testing.Fixture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class InferenceSpanTest {

    private final Fixture f = new Fixture();
    private final InferenceTracker tracker = f.autoscale.tracker();

    @Test
    void gaugesChangeTheMomentARequestStartsAndEnds() {
        InferenceSpan span = tracker.start("m");
        assertThat(f.gauge(MetricNames.ACTIVE_REQUESTS)).isEqualTo(1.0);
        assertThat(f.registry.get(MetricNames.REQUESTS_RUNNING).tag("model", "m").gauge().value()).isEqualTo(1.0);
        assertThat(f.count("m", InferenceStatus.SUCCESS)).isZero();
        span.success();
        assertThat(f.gauge(MetricNames.ACTIVE_REQUESTS)).isZero();
        assertThat(f.count("m", InferenceStatus.SUCCESS)).isEqualTo(1);
        assertThat(f.timerCount(MetricNames.DURATION, "m")).isEqualTo(1);
    }

    @Test
    void secondCloseAndLateOutcomesAreHarmless() {
        InferenceSpan span = tracker.start("m");
        span.success();
        span.close();
        span.close();
        span.failure(new RuntimeException());
        span.cancel();
        assertThat(f.count("m", InferenceStatus.SUCCESS)).isEqualTo(1);
        assertThat(f.count("m", InferenceStatus.ERROR)).isZero();
        assertThat(f.count("m", InferenceStatus.CANCELLED)).isZero();
        assertThat(f.timerCount(MetricNames.DURATION, "m")).isEqualTo(1);
        assertThat(f.gauge(MetricNames.ACTIVE_REQUESTS)).isZero();
    }

    @Test
    void closedWithoutOutcomeAfterAnExceptionCountsAsError() {
        try (InferenceSpan span = tracker.start("m")) {
            span.tokens(1);
            throw new IllegalStateException("engine crashed");
        } catch (IllegalStateException expected) {
            // the span was closed by try-with-resources without success()
        }
        assertThat(f.count("m", InferenceStatus.ERROR)).isEqualTo(1);
        assertThat(f.count("m", InferenceStatus.SUCCESS)).isZero();
        assertThat(f.gauge(MetricNames.ACTIVE_REQUESTS)).isZero();
    }

    @Test
    void failureAndCancelAreCountedAsSuch() {
        tracker.start("m").failure(new RuntimeException());
        tracker.start("m").cancel();
        assertThat(f.count("m", InferenceStatus.ERROR)).isEqualTo(1);
        assertThat(f.count("m", InferenceStatus.CANCELLED)).isEqualTo(1);
        assertThat(f.timerCount(MetricNames.DURATION, "m")).isEqualTo(2);
    }

    @Test
    void tokensRecordTimeToFirstTokenOnceAndCountLive() throws Exception {
        InferenceSpan span = tracker.start("m");
        span.promptTokens(100);
        assertThat(f.registry.get(MetricNames.PROMPT_TOKENS).counter().count()).isEqualTo(100);
        Thread.sleep(5);
        span.tokens(1);
        assertThat(f.timerCount(MetricNames.TIME_TO_FIRST_TOKEN, "m")).isEqualTo(1);
        double ttft = f.registry.get(MetricNames.TIME_TO_FIRST_TOKEN).timer().totalTime(TimeUnit.MILLISECONDS);
        assertThat(ttft).isGreaterThanOrEqualTo(5.0);
        span.tokens(4);
        span.firstToken();
        assertThat(f.timerCount(MetricNames.TIME_TO_FIRST_TOKEN, "m")).isEqualTo(1);
        assertThat(f.registry.get(MetricNames.GENERATION_TOKENS).counter().count()).isEqualTo(5);
        assertThat(span.outputTokens()).isEqualTo(5);
        Thread.sleep(8);
        span.success();
        // time per output token: (end - first token) / (5 - 1) >= 8 ms / 4
        assertThat(f.timerCount(MetricNames.TIME_PER_OUTPUT_TOKEN, "m")).isEqualTo(1);
        assertThat(f.registry.get(MetricNames.TIME_PER_OUTPUT_TOKEN).timer().totalTime(TimeUnit.MILLISECONDS))
                .isGreaterThanOrEqualTo(2.0);
    }

    @Test
    void failureClassifiesCancellationAndInterruptsAsCancelled() {
        tracker.start("m").failure(new java.util.concurrent.CancellationException());
        tracker.start("m").failure(new java.util.concurrent.CompletionException(
                new java.util.concurrent.CancellationException()));
        tracker.start("m").failure(new java.util.concurrent.ExecutionException(new InterruptedException()));
        tracker.start("m").failure(new java.util.concurrent.CompletionException(new IllegalStateException()));
        tracker.start("m").failure(null);
        assertThat(f.count("m", InferenceStatus.CANCELLED)).isEqualTo(3);
        assertThat(f.count("m", InferenceStatus.ERROR)).isEqualTo(2);
    }

    @Test
    void singleTokenRecordsNoTimePerOutputToken() {
        InferenceSpan span = tracker.start("m");
        span.tokens(1);
        span.success();
        assertThat(f.timerCount(MetricNames.TIME_PER_OUTPUT_TOKEN, "m")).isZero();
    }

    @Test
    void streamingSpanCrossesThreadsUntilTheLastToken() throws Exception {
        InferenceSpan span = tracker.start("stream");
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 50; i++) {
                span.tokens(1);
            }
        });
        producer.get(10, TimeUnit.SECONDS);
        assertThat(f.gauge(MetricNames.ACTIVE_REQUESTS)).isEqualTo(1.0);
        CompletableFuture.runAsync(span::success).get(10, TimeUnit.SECONDS);
        span.close();
        assertThat(f.gauge(MetricNames.ACTIVE_REQUESTS)).isZero();
        assertThat(f.count("stream", InferenceStatus.SUCCESS)).isEqualTo(1);
        assertThat(f.registry.get(MetricNames.GENERATION_TOKENS).tag("model", "stream").counter().count())
                .isEqualTo(50);
    }

    @Test
    void racingOutcomesCountExactlyOnce() throws Exception {
        for (int i = 0; i < 200; i++) {
            InferenceSpan span = tracker.start("race");
            CompletableFuture<Void> a = CompletableFuture.runAsync(span::success);
            CompletableFuture<Void> b = CompletableFuture.runAsync(span::cancel);
            span.close();
            CompletableFuture.allOf(a, b).get(10, TimeUnit.SECONDS);
        }
        long total = 0;
        for (InferenceStatus s : InferenceStatus.values()) {
            total += f.count("race", s);
        }
        assertThat(total).isEqualTo(200);
        assertThat(f.timerCount(MetricNames.DURATION, "race")).isEqualTo(200);
        assertThat(f.gauge(MetricNames.ACTIVE_REQUESTS)).isZero();
    }

    @Test
    void aLateCallOnAClosedSpanIsANoOpAndNeverReachesAnotherRequest() {
        InferenceSpan first = tracker.start("m");
        first.promptTokens(3).tokens(2);
        first.success();
        first.close();
        InferenceSpan second = tracker.start("m");
        assertThat(second).as("every request gets its own span").isNotSameAs(first);
        // a streaming thread that still holds the first span reports late
        first.tokens(50).promptTokens(70).firstToken();
        first.cancel();
        first.failure(new IllegalStateException("late"));
        first.close();
        assertThat(first.outputTokens()).as("the ended span kept its own figures").isEqualTo(2);
        assertThat(second.outputTokens()).as("nothing leaked into the new request").isZero();
        assertThat(second.isEnded()).isFalse();
        assertThat(f.registry.get(MetricNames.GENERATION_TOKENS).tag("model", "m").counter().count()).isEqualTo(2.0);
        assertThat(f.registry.get(MetricNames.PROMPT_TOKENS).tag("model", "m").counter().count()).isEqualTo(3.0);
        assertThat(f.timerCount(MetricNames.TIME_TO_FIRST_TOKEN, "m")).isEqualTo(1);
        assertThat(f.gauge(MetricNames.ACTIVE_REQUESTS)).as("the late close released nothing twice").isEqualTo(1.0);
        second.tokens(1);
        second.success();
        second.close();
        assertThat(f.count("m", InferenceStatus.SUCCESS)).isEqualTo(2);
        assertThat(f.count("m", InferenceStatus.CANCELLED)).isZero();
        assertThat(f.count("m", InferenceStatus.ERROR)).isZero();
        assertThat(f.gauge(MetricNames.ACTIVE_REQUESTS)).isZero();
    }

    @Test
    void spansOfOneThreadAreNeverShared() {
        InferenceSpan first = tracker.start("m");
        InferenceSpan second = tracker.start("m");
        assertThat(second).isNotSameAs(first);
        second.close();
        InferenceSpan third = tracker.start("other-model");
        assertThat(third).as("a closed span is not handed out again").isNotSameAs(second);
        assertThat(third.model()).isEqualTo("other-model");
        assertThat(second.isEnded()).isTrue();
        third.success();
        third.close();
        first.success();
        assertThat(f.count("m", InferenceStatus.SUCCESS)).isEqualTo(1);
        assertThat(f.count("m", InferenceStatus.ERROR)).isEqualTo(1);
        assertThat(f.count("other-model", InferenceStatus.SUCCESS)).isEqualTo(1);
        assertThat(f.gauge(MetricNames.ACTIVE_REQUESTS)).isZero();
    }
}
