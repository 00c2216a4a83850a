package dev.llmautoscale.spring.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.admission.AdmissionRejectedException;
import dev.llmautoscale.admission.RejectionReason;
import dev.llmautoscale.metrics.InferenceStatus;
import dev.llmautoscale.metrics.MetricNames;
import dev.llmautoscale.spring.autoconfigure.Runners;
import dev.llmautoscale.tracking.InferenceModel;
import dev.llmautoscale.tracking.TrackInference;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.aspectj.lang.ProceedingJoinPoint;
import org.aspectj.lang.annotation.Around;
import org.aspectj.lang.annotation.Aspect;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** {@code @TrackInference} on Spring beans: plain, CompletableFuture, Mono and Flux methods. */
class TrackInferenceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final ApplicationContextRunner runner = Runners.runner().withUserConfiguration(Beans.class);

    @Test
    void plainMethodsCountSuccessAndErrorAndRunWhileTheyRun() {
        runner.run(context -> {
            Generator generator = context.getBean(Generator.class);
            assertThat(AopUtils.isAopProxy(generator)).isTrue();
            assertThat(generator.complete("hi")).isEqualTo("hi!");
            assertThat(generator.activeDuringLastCall()).isEqualTo(1);
            assertThatThrownBy(generator::fail).isInstanceOf(IllegalStateException.class).hasMessage("engine down");
            assertThatThrownBy(generator::interrupted).isInstanceOf(CancellationException.class);
            ModelView llama = model(context, "llama");
            assertThat(llama.count(InferenceStatus.SUCCESS)).isEqualTo(1);
            assertThat(llama.count(InferenceStatus.ERROR)).isEqualTo(1);
            assertThat(llama.count(InferenceStatus.CANCELLED)).isEqualTo(1);
            assertThat(llama.running()).isZero();
            assertThat(context.getBean(MeterRegistry.class).get(MetricNames.DURATION).tag("model", "llama").timer()
                    .count()).isEqualTo(3);
            // an untracked method of the same bean is not counted
            generator.untracked();
            assertThat(llama.count(InferenceStatus.SUCCESS)).isEqualTo(1);
        });
    }

    @Test
    void theModelComesFromTheAnnotatedParameter() {
        runner.run(context -> {
            Generator generator = context.getBean(Generator.class);
            generator.byModel("mistral-7b", "p");
            generator.byModel(null, "p");
            assertThat(model(context, "mistral-7b").count(InferenceStatus.SUCCESS)).isEqualTo(1);
            assertThat(model(context, "default").count(InferenceStatus.SUCCESS)).isEqualTo(1);
        });
    }

    @Test
    void typeLevelAnnotationTracksPublicMethodsOnly() {
        runner.run(context -> {
            TypeLevel bean = context.getBean(TypeLevel.class);
            bean.one();
            bean.two();
            bean.notPublic();
            bean.toString();
            bean.hashCode();
            assertThat(model(context, "typed").count(InferenceStatus.SUCCESS)).isEqualTo(2);
        });
    }

    @Test
    void interfaceAnnotationsApplyWithClassAndInterfaceProxies() {
        for (String proxyTargetClass : List.of("true", "false")) {
            runner.withPropertyValues("spring.aop.proxy-target-class=" + proxyTargetClass).run(context -> {
                Chat chat = context.getBean(Chat.class);
                assertThat(chat.chat("x")).isEqualTo("x?");
                assertThat(model(context, "iface").count(InferenceStatus.SUCCESS)).isEqualTo(1);
            });
        }
    }

    @Test
    void completableFuturesAreTrackedUntilTheyComplete() {
        runner.run(context -> {
            Generator generator = context.getBean(Generator.class);
            ModelView llama = model(context, "llama");

            CompletableFuture<String> pending = new CompletableFuture<>();
            CompletableFuture<String> returned = generator.async(pending);
            assertThat(returned).isSameAs(pending);
            assertThat(llama.running()).isEqualTo(1);
            pending.complete("ok");
            assertThat(llama.count(InferenceStatus.SUCCESS)).isEqualTo(1);
            assertThat(llama.running()).isZero();

            CompletableFuture<String> failing = new CompletableFuture<>();
            generator.async(failing);
            failing.completeExceptionally(new IllegalStateException("boom"));
            assertThat(llama.count(InferenceStatus.ERROR)).isEqualTo(1);

            CompletableFuture<String> cancelled = new CompletableFuture<>();
            generator.async(cancelled).cancel(true);
            assertThat(llama.count(InferenceStatus.CANCELLED)).isEqualTo(1);
            assertThat(llama.running()).isZero();
        });
    }

    @Test
    void monosAreTrackedPerSubscription() {
        runner.run(context -> {
            Generator generator = context.getBean(Generator.class);
            ModelView llama = model(context, "llama");

            Mono<String> mono = generator.mono(Mono.just("ok"));
            assertThat(llama.running()).as("nothing runs before subscribe").isZero();
            StepVerifier.create(mono).expectNext("ok").verifyComplete();
            StepVerifier.create(mono).expectNext("ok").verifyComplete();
            StepVerifier.create(generator.mono(Mono.empty())).verifyComplete();
            assertThat(llama.count(InferenceStatus.SUCCESS)).isEqualTo(3);
            // a value is the whole answer, so also the first token; an empty completion has none
            assertThat(ttftCount(context.getBean(MeterRegistry.class))).isEqualTo(2);

            StepVerifier.create(generator.mono(Mono.error(new IllegalStateException("boom"))))
                    .verifyErrorMessage("boom");
            assertThat(llama.count(InferenceStatus.ERROR)).isEqualTo(1);

            Disposable subscription = generator.mono(Mono.never()).subscribe();
            assertThat(llama.running()).isEqualTo(1);
            subscription.dispose();
            assertThat(llama.count(InferenceStatus.CANCELLED)).isEqualTo(1);
            assertThat(llama.running()).isZero();
        });
    }

    @Test
    void fluxesMarkTheFirstTokenAndCountElements() {
        runner.run(context -> {
            Generator generator = context.getBean(Generator.class);
            ModelView llama = model(context, "llama");
            MeterRegistry registry = context.getBean(MeterRegistry.class);

            Sinks.Many<String> tokens = Sinks.many().unicast().onBackpressureBuffer();
            StepVerifier.create(generator.stream(tokens.asFlux()))
                    .then(() -> {
                        assertThat(llama.running()).isEqualTo(1);
                        assertThat(ttftCount(registry)).isZero();
                        tokens.tryEmitNext("Hel");
                    })
                    .expectNext("Hel")
                    .then(() -> {
                        assertThat(ttftCount(registry)).as("first element = first token").isEqualTo(1);
                        tokens.tryEmitNext("lo");
                        tokens.tryEmitNext("!");
                        tokens.tryEmitComplete();
                    })
                    .expectNext("lo", "!")
                    .verifyComplete();
            assertThat(llama.count(InferenceStatus.SUCCESS)).isEqualTo(1);
            assertThat(registry.get(MetricNames.GENERATION_TOKENS).tag("model", "llama").counter().count())
                    .isEqualTo(3);
            assertThat(registry.get(MetricNames.TIME_PER_OUTPUT_TOKEN).tag("model", "llama").timer().count())
                    .isEqualTo(1);

            StepVerifier.create(generator.stream(Flux.concat(Flux.just("a"), Flux.error(new IllegalStateException(
                    "mid-stream"))))).expectNext("a").verifyErrorMessage("mid-stream");
            assertThat(llama.count(InferenceStatus.ERROR)).isEqualTo(1);

            Disposable subscription = generator.stream(Flux.never()).subscribe();
            assertThat(llama.running()).isEqualTo(1);
            subscription.dispose();
            assertThat(llama.count(InferenceStatus.CANCELLED)).isEqualTo(1);
            assertThat(llama.running()).isZero();
            assertThat(ttftCount(registry)).isEqualTo(2);
        });
    }

    @Test
    void fluxElementsNeedNotBeTokens() {
        runner.withPropertyValues("llm.autoscale.tracking.stream-elements-are-tokens=false").run(context -> {
            Generator generator = context.getBean(Generator.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            StepVerifier.create(generator.stream(Flux.just("chunk one", "chunk two"))).expectNextCount(2)
                    .verifyComplete();
            assertThat(ttftCount(registry)).isEqualTo(1);
            assertThat(registry.get(MetricNames.GENERATION_TOKENS).tag("model", "llama").counter().count()).isZero();
        });
    }

    @Test
    void admissionRefusalsReachTheCaller() {
        runner.withPropertyValues("llm.autoscale.admission.enabled=true", "llm.autoscale.admission.max-concurrency=1",
                "llm.autoscale.admission.queue-capacity=0").run(context -> {
                    Generator generator = context.getBean(Generator.class);
                    CountDownLatch entered = new CountDownLatch(1);
                    CountDownLatch release = new CountDownLatch(1);
                    ExecutorService thread = Executors.newSingleThreadExecutor();
                    CompletableFuture<String> busy = CompletableFuture.supplyAsync(() -> generator.blocking(entered,
                            release), thread);
                    assertThat(entered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

                    assertThatThrownBy(() -> generator.complete("x")).isInstanceOfSatisfying(
                            AdmissionRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(RejectionReason.QUEUE_FULL));
                    StepVerifier.create(generator.stream(Flux.just("t")))
                            .verifyError(AdmissionRejectedException.class);
                    release.countDown();
                    assertThat(busy.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("done");
                    thread.shutdown();
                    ModelView llama = model(context, "llama");
                    assertThat(llama.rejections(RejectionReason.QUEUE_FULL)).isEqualTo(2);
                    assertThat(llama.count(InferenceStatus.REJECTED)).isEqualTo(2);
                    assertThat(llama.count(InferenceStatus.SUCCESS)).isEqualTo(1);
                });
    }

    @Test
    void coexistsWithAspectjAutoProxyingAndCountsOnce() {
        runner.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class))
                .withUserConfiguration(CountingAspect.class).run(context -> {
                    Generator generator = context.getBean(Generator.class);
                    generator.complete("a");
                    assertThat(context.getBean(CountingAspect.class).calls.get()).isEqualTo(1);
                    assertThat(model(context, "llama").count(InferenceStatus.SUCCESS)).isEqualTo(1);
                    StepVerifier.create(generator.stream(Flux.just("x", "y"))).expectNextCount(2).verifyComplete();
                    assertThat(model(context, "llama").count(InferenceStatus.SUCCESS)).isEqualTo(2);
                });
    }

    @Test
    void switchedOffBeansAreNotProxied() {
        runner.withPropertyValues("llm.autoscale.tracking.enabled=false").run(context -> {
            Generator generator = context.getBean(Generator.class);
            assertThat(AopUtils.isAopProxy(generator)).isFalse();
            generator.complete("a");
            assertThat(context.getBean(LlmAutoscale.class).load().models()).isEmpty();
        });
    }

    /** A live view of one model label value's figures: counts from the registry, running from the load. */
    private record ModelView(LlmAutoscale autoscale, String name) {
        long count(InferenceStatus status) {
            io.micrometer.core.instrument.Counter c = autoscale.registry().find(MetricNames.REQUESTS)
                    .tag("model", name).tag("status", status.label()).counter();
            return c == null ? 0 : (long) c.count();
        }

        long rejections(RejectionReason reason) {
            io.micrometer.core.instrument.Counter c = autoscale.registry().find(MetricNames.REJECTIONS)
                    .tag("model", name).tag("reason", reason.label()).counter();
            return c == null ? 0 : (long) c.count();
        }

        int running() {
            return autoscale.load().model(name).map(m -> m.running()).orElse(0);
        }
    }

    private static ModelView model(org.springframework.context.ApplicationContext context, String name) {
        return new ModelView(context.getBean(LlmAutoscale.class), name);
    }

    private static long ttftCount(MeterRegistry registry) {
        return registry.get(MetricNames.TIME_TO_FIRST_TOKEN).tag("model", "llama").timer().count();
    }

    @Configuration(proxyBeanMethods = false)
    static class Beans {
        @Bean
        Generator generator(LlmAutoscale autoscale) {
            return new Generator(autoscale);
        }

        @Bean
        TypeLevel typeLevel() {
            return new TypeLevel();
        }

        @Bean
        Chat chat() {
            return new ChatImpl();
        }
    }

    /** A bean with tracked methods of every shape. */
    public static class Generator {
        final AtomicInteger activeDuringLastCall = new AtomicInteger(-1);
        private final LlmAutoscale autoscale;

        Generator(LlmAutoscale autoscale) {
            this.autoscale = autoscale;
        }

        @TrackInference(model = "llama")
        public String complete(String prompt) {
            activeDuringLastCall.set(autoscale.load().running());
            return prompt + "!";
        }

        @TrackInference
        public String byModel(@InferenceModel String model, String prompt) {
            return prompt;
        }

        @TrackInference(model = "llama")
        public String fail() {
            throw new IllegalStateException("engine down");
        }

        @TrackInference(model = "llama")
        public String interrupted() {
            throw new CancellationException("client went away");
        }

        @TrackInference(model = "llama")
        public String blocking(CountDownLatch entered, CountDownLatch release) {
            entered.countDown();
            try {
                return release.await(30, TimeUnit.SECONDS) ? "done" : "timeout";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }

        @TrackInference(model = "llama")
        public CompletableFuture<String> async(CompletableFuture<String> work) {
            return work;
        }

        @TrackInference(model = "llama")
        public Mono<String> mono(Mono<String> work) {
            return work;
        }

        @TrackInference(model = "llama")
        public Flux<String> stream(Flux<String> tokens) {
            return tokens;
        }

        public String untracked() {
            return "u";
        }

        public int activeDuringLastCall() {
            return activeDuringLastCall.get();
        }
    }

    /** Every public method is tracked. */
    @TrackInference(model = "typed")
    public static class TypeLevel {
        public String one() {
            return "1";
        }

        public String two() {
            return "2";
        }

        String notPublic() {
            return "n";
        }

        @Override
        public String toString() {
            return "TypeLevel";
        }
    }

    /** The annotation on an interface method. */
    public interface Chat {
        @TrackInference(model = "iface")
        String chat(String prompt);
    }

    static class ChatImpl implements Chat {
        @Override
        public String chat(String prompt) {
            return prompt + "?";
        }
    }

    /** An application's own aspect on the same bean. */
    @Aspect
    @Configuration(proxyBeanMethods = false)
    static class CountingAspect {
        final AtomicInteger calls = new AtomicInteger();

        @Around("execution(* dev.llmautoscale.spring.tracking.TrackInferenceTest.Generator.complete(..))")
        Object count(ProceedingJoinPoint pjp) throws Throwable {
            calls.incrementAndGet();
            return pjp.proceed();
        }
    }
}
