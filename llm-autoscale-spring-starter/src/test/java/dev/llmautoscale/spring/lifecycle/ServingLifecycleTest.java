package dev.llmautoscale.spring.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.admission.AdmissionRejectedException;
import dev.llmautoscale.admission.RejectionReason;
import dev.llmautoscale.lifecycle.DrainResult;
import dev.llmautoscale.lifecycle.LifecycleState;
import dev.llmautoscale.lifecycle.WarmupHook;
import dev.llmautoscale.metrics.MetricNames;
import dev.llmautoscale.spring.actuate.LlmAutoscaleHealthIndicator;
import dev.llmautoscale.spring.autoconfigure.Runners;
import dev.llmautoscale.tracking.InferenceSpan;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/** Warm-up after start, readiness through availability events, and the drain on context close. */
class ServingLifecycleTest {

    private static final long WAIT_SECONDS = 30;

    private final ApplicationContextRunner runner = Runners.runner();

    @Test
    void stopsBeforeTheWebServersGracefulShutdown() {
        assertThat(InferenceServingLifecycle.PHASE).isGreaterThan(WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE);
    }

    @Test
    void warmupHookBeansRunInOrderAfterStartAndReadinessFollows() {
        runner.withUserConfiguration(GatedWarmup.class).run(context -> {
            GatedWarmup warmup = context.getBean(GatedWarmup.class);
            LlmAutoscale autoscale = context.getBean(LlmAutoscale.class);
            ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);
            LlmAutoscaleHealthIndicator health = context.getBean(LlmAutoscaleHealthIndicator.class);

            // The context started while the first hook still runs: warm-up is asynchronous.
            assertThat(warmup.firstEntered.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            assertThat(autoscale.lifecycle().state()).isEqualTo(LifecycleState.WARMING_UP);
            assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
            Health h = health.health();
            assertThat(h.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
            assertThat(h.getDetails().get("reasons").toString()).contains("load-model").contains("1 of 3");

            // Spring Boot announces ACCEPTING_TRAFFIC once the application is ready: the bridge takes it back.
            AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
            await().atMost(Duration.ofSeconds(WAIT_SECONDS))
                    .until(() -> availability.getReadinessState() == ReadinessState.REFUSING_TRAFFIC);

            warmup.release.countDown();
            assertThat(context.getBean(InferenceServingLifecycle.class).warmup().get(WAIT_SECONDS, TimeUnit.SECONDS))
                    .isTrue();
            assertThat(warmup.order).containsExactly("load-model", "compile", "first-inference");
            assertThat(autoscale.lifecycle().state()).isEqualTo(LifecycleState.READY);
            await().atMost(Duration.ofSeconds(WAIT_SECONDS))
                    .until(() -> availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC);
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);

            // every hook's duration is a gauge, under the name it was given
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            for (String hook : List.of("load-model", "compile", "first-inference")) {
                assertThat(registry.get(MetricNames.WARMUP_DURATION).tag("hook", hook).timeGauge()
                        .value(TimeUnit.NANOSECONDS)).isPositive();
            }
        });
    }

    @Test
    void theBridgeCorrectsReadinessWhenItRunsBeforeBootsOwnListener() {
        runner.withUserConfiguration(GatedWarmup.class).run(context -> {
            GatedWarmup warmup = context.getBean(GatedWarmup.class);
            assertThat(warmup.firstEntered.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
            ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);
            ReadinessStateBridge bridge = context.getBean(ReadinessStateBridge.class);
            // Boot's ApplicationAvailability has not seen ACCEPTING_TRAFFIC yet when the bridge gets the event:
            bridge.onApplicationEvent(new AvailabilityChangeEvent<>(context, ReadinessState.ACCEPTING_TRAFFIC));
            // ...and records it afterwards (listeners of equal precedence run in no guaranteed order). Only Boot's
            // listener gets this one, so the bridge must correct the state on its own.
            ((ApplicationAvailabilityBean) availability)
                    .onApplicationEvent(new AvailabilityChangeEvent<>(context, ReadinessState.ACCEPTING_TRAFFIC));
            await().atMost(Duration.ofSeconds(WAIT_SECONDS))
                    .until(() -> availability.getReadinessState() == ReadinessState.REFUSING_TRAFFIC);
            warmup.release.countDown();
            await().atMost(Duration.ofSeconds(WAIT_SECONDS))
                    .until(() -> availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC);
        });
    }

    @Test
    void anApplicationMayStillTakeAReadyServerOutOfRotation() {
        runner.run(context -> {
            assertThat(context.getBean(InferenceServingLifecycle.class).warmup().get(WAIT_SECONDS, TimeUnit.SECONDS))
                    .isTrue();
            ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);
            await().atMost(Duration.ofSeconds(WAIT_SECONDS))
                    .until(() -> availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC);
            AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
            assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
            // nothing puts it back: no correction is pending
            context.getBean(ReadinessStateBridge.class).onApplicationEvent(
                    new AvailabilityChangeEvent<>(context, ReadinessState.REFUSING_TRAFFIC));
            assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
        });
    }

    @Test
    void aFailedHookKeepsTheServerUnreadyAndSaysWhy() {
        runner.withUserConfiguration(FailingWarmup.class).withPropertyValues("llm.autoscale.lifecycle.warmup-timeout=2s")
                .run(context -> {
                    InferenceServingLifecycle serving = context.getBean(InferenceServingLifecycle.class);
                    assertThat(serving.warmup().get(WAIT_SECONDS, TimeUnit.SECONDS)).isFalse();
                    LlmAutoscale autoscale = context.getBean(LlmAutoscale.class);
                    assertThat(autoscale.lifecycle().state()).isEqualTo(LifecycleState.STARTING);
                    assertThat(autoscale.lifecycle().readiness().reasons()).singleElement().asString()
                            .contains("warm-up failed").contains("brokenModel").contains("weights not found");
                    assertThat(context.getBean(ApplicationAvailability.class).getReadinessState())
                            .isEqualTo(ReadinessState.REFUSING_TRAFFIC);
                    Health h = context.getBean(LlmAutoscaleHealthIndicator.class).health();
                    assertThat(h.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
                    assertThat(h.getDetails().get("reasons").toString()).contains("weights not found");
                    // liveness still passes: a failed warm-up is not a reason to restart
                    assertThat(autoscale.lifecycle().liveness().ok()).isTrue();
                });
    }

    @Test
    void aTransientWarmupFailureIsRetriedWhenConfigured() {
        runner.withUserConfiguration(FlakyWarmup.class)
                .withPropertyValues("llm.autoscale.lifecycle.warmup-attempts=3",
                        "llm.autoscale.lifecycle.warmup-retry-delay=50ms")
                .run(context -> {
                    InferenceServingLifecycle serving = context.getBean(InferenceServingLifecycle.class);
                    assertThat(serving.warmup().get(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
                    assertThat(context.getBean(FlakyWarmup.class).attempts).hasValue(2);
                    assertThat(context.getBean(LlmAutoscale.class).lifecycle().state())
                            .isEqualTo(LifecycleState.READY);
                    assertThat(context.getBean(ApplicationAvailability.class).getReadinessState())
                            .isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
                });
    }

    @Test
    void aHookPastItsTimeoutFailsWithTheDefaultTimeout() {
        runner.withUserConfiguration(HangingWarmup.class).withPropertyValues("llm.autoscale.lifecycle.warmup-timeout=200ms")
                .run(context -> {
                    InferenceServingLifecycle serving = context.getBean(InferenceServingLifecycle.class);
                    assertThat(serving.warmup().get(WAIT_SECONDS, TimeUnit.SECONDS)).isFalse();
                    assertThat(context.getBean(LlmAutoscale.class).lifecycle().readiness().reasons().get(0))
                            .contains("hook 'hang' timed out after 200 ms");
                });
    }

    @Test
    void contextCloseDrainsInFlightWorkAndRefusesNewWork() throws Exception {
        // The phase timeout is 1 s but the drain needs longer: the starter raises the timeout of its own phase.
        ConfigurableApplicationContext[] holder = new ConfigurableApplicationContext[1];
        runner.withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=1s",
                "llm.autoscale.lifecycle.pre-drain-delay=300ms", "llm.autoscale.lifecycle.drain-timeout=20s")
                .run(context -> {
                    holder[0] = context;
                    LlmAutoscale autoscale = context.getBean(LlmAutoscale.class);
                    InferenceServingLifecycle serving = context.getBean(InferenceServingLifecycle.class);
                    assertThat(serving.warmup().get(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
                    ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);

                    int n = 3;
                    // one thread per blocking task: a shared pool could hold the close back behind them
                    ExecutorService threads = Executors.newFixedThreadPool(n + 1);
                    CountDownLatch started = new CountDownLatch(n);
                    CountDownLatch finish = new CountDownLatch(1);
                    List<CompletableFuture<String>> inFlight = new CopyOnWriteArrayList<>();
                    for (int i = 0; i < n; i++) {
                        inFlight.add(CompletableFuture.supplyAsync(() -> {
                            try (InferenceSpan span = autoscale.tracker().start("m")) {
                                started.countDown();
                                finish.await(WAIT_SECONDS, TimeUnit.SECONDS);
                                span.success();
                                return "done";
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return "interrupted";
                            }
                        }, threads));
                    }
                    assertThat(started.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

                    CompletableFuture<Void> closed = CompletableFuture.runAsync(context::close, threads);
                    // readiness turns at once, while requests are still served during the pre-drain delay
                    await().atMost(Duration.ofSeconds(WAIT_SECONDS))
                            .until(() -> availability.getReadinessState() == ReadinessState.REFUSING_TRAFFIC);
                    assertThat(autoscale.lifecycle().state()).isEqualTo(LifecycleState.DRAINING);
                    // after the delay, new work is refused (and counted) as draining
                    await().atMost(Duration.ofSeconds(WAIT_SECONDS)).until(() -> !autoscale.lifecycle().isAcceptingWork());
                    assertThatThrownBy(() -> autoscale.tracker().start("m"))
                            .isInstanceOfSatisfying(AdmissionRejectedException.class,
                                    e -> assertThat(e.reason()).isEqualTo(RejectionReason.DRAINING));
                    // the close waits for the admitted work, far beyond the 1 s phase timeout
                    Thread.sleep(1500);
                    assertThat(closed).isNotDone();
                    finish.countDown();
                    closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
                    for (CompletableFuture<String> f : inFlight) {
                        assertThat(f.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("done");
                    }
                    assertThat(autoscale.lifecycle().state()).isEqualTo(LifecycleState.STOPPED);
                    DrainResult drain = serving.lastDrain().orElseThrow();
                    assertThat(drain.drained()).isTrue();
                    assertThat(drain.waited()).isGreaterThan(Duration.ofSeconds(1));
                    assertThat(autoscale.registry().get(MetricNames.REQUESTS).tag("model", "m")
                            .tag("status", "success").counter().count()).isEqualTo(n);
                    threads.shutdown();
                });
        assertThat(holder[0].isActive()).isFalse();
    }

    @Test
    void aServerThatNeverBecameReadySkipsThePreDrainDelay() {
        runner.withUserConfiguration(GatedWarmup.class)
                .withPropertyValues("llm.autoscale.lifecycle.pre-drain-delay=30s").run(context -> {
                    GatedWarmup warmup = context.getBean(GatedWarmup.class);
                    assertThat(warmup.firstEntered.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
                    InferenceServingLifecycle serving = context.getBean(InferenceServingLifecycle.class);
                    long start = System.nanoTime();
                    context.close();
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
                    assertThat(serving.lastDrain()).isPresent();
                    warmup.release.countDown();
                });
    }

    /** Three steps: a named one that waits for the test, a plain hook bean, and a last named one. */
    @Configuration(proxyBeanMethods = false)
    static class GatedWarmup {
        final CountDownLatch firstEntered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> order = new CopyOnWriteArrayList<>();

        @Bean
        @Order(3)
        InferenceWarmup firstInference() {
            return InferenceWarmup.of("first-inference", Duration.ofSeconds(WAIT_SECONDS), () -> order.add(
                    "first-inference"));
        }

        @Bean
        @Order(1)
        InferenceWarmup loadModel() {
            return InferenceWarmup.of("load-model", Duration.ofSeconds(WAIT_SECONDS), () -> {
                firstEntered.countDown();
                if (!release.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never released the warm-up");
                }
                Thread.sleep(5); // a measurable duration
                order.add("load-model");
            });
        }

        @Bean
        @Order(2)
        WarmupHook compile() {
            return () -> order.add("compile");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FailingWarmup {
        @Bean
        WarmupHook brokenModel() {
            return () -> {
                throw new java.io.FileNotFoundException("weights not found: /models/llama.gguf");
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FlakyWarmup {
        final java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();

        @Bean
        WarmupHook gpuInit() {
            return () -> {
                if (attempts.incrementAndGet() == 1) {
                    throw new IllegalStateException("CUDA driver not ready yet");
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class HangingWarmup {
        @Bean
        InferenceWarmup hang() {
            return InferenceWarmup.of("hang", () -> Thread.sleep(60_000));
        }
    }
}
