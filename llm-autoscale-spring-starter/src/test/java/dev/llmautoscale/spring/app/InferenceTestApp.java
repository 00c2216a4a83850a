package dev.llmautoscale.spring.app;

import dev.llmautoscale.spring.lifecycle.InferenceWarmup;
import dev.llmautoscale.tracking.TrackInference;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import reactor.core.publisher.Flux;

/**
 * A small inference server as an application would write it: a model load as a warm-up bean, an OpenAI-style
 * completions endpoint (tracked by the servlet filter), a Server-Sent Events chat endpoint (SseEmitter, tracked by the
 * filter) and a Flux token stream from a {@code @TrackInference} service.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class InferenceTestApp {

    /** Timeouts for everything a test waits for. */
    public static final long WAIT_SECONDS = 30;

    @Bean
    Gates gates(@Value("${test.warmup-blocked:true}") boolean warmupBlocked) {
        return new Gates(warmupBlocked);
    }

    @Bean
    @Order(1)
    InferenceWarmup loadModel(Gates gates) {
        return InferenceWarmup.of("load-model", Duration.ofSeconds(WAIT_SECONDS * 2), () -> {
            if (!gates.warmup.await(WAIT_SECONDS * 2, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never let the model load finish");
            }
        });
    }

    /** Latches a test opens: the model load, and slow completions. */
    public static final class Gates {
        /** Opened when the model load may finish. */
        public final CountDownLatch warmup;
        /** Opened when slow completions may answer. */
        public final CountDownLatch slow = new CountDownLatch(1);
        /** Slow completions that have started. */
        public final AtomicInteger slowStarted = new AtomicInteger();

        Gates(boolean warmupBlocked) {
            this.warmup = new CountDownLatch(warmupBlocked ? 1 : 0);
        }
    }

    /** The "model": a token generator. */
    @Service
    public static class Engine {
        /**
         * Streams tokens; each element is one output token, the first one is the first token.
         *
         * @param prompt the prompt
         * @return the tokens
         */
        @TrackInference(model = "flux-model")
        public Flux<String> generate(String prompt) {
            return Flux.fromIterable(List.of("Hello", ",", " ", prompt)).delayElements(Duration.ofMillis(5));
        }
    }

    @RestController
    static class CompletionsController implements DisposableBean {
        private final Gates gates;
        private final Engine engine;
        // not a bean: an Executor bean would make Spring Boot skip its own task executor, which Spring MVC uses
        private final ExecutorService executor = Executors.newFixedThreadPool(4);

        CompletionsController(Gates gates, Engine engine) {
            this.gates = gates;
            this.engine = engine;
        }

        @Override
        public void destroy() {
            executor.shutdownNow();
        }

        /** A completion; a body of "slow" waits until the test opens the slow gate. */
        @PostMapping(path = "/v1/completions", produces = MediaType.APPLICATION_JSON_VALUE)
        String complete(@RequestBody String body) throws InterruptedException {
            if (body.contains("slow")) {
                gates.slowStarted.incrementAndGet();
                if (!gates.slow.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never released the slow completion");
                }
            }
            return "{\"choices\":[{\"text\":\"ok\"}]}";
        }

        /** A streamed chat completion over Server-Sent Events from another thread. */
        @PostMapping(path = "/v1/chat/completions", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
        SseEmitter chat(@RequestBody String body) {
            SseEmitter emitter = new SseEmitter(WAIT_SECONDS * 1000);
            executor.execute(() -> {
                try {
                    for (String token : List.of("Hi", " there", "!")) {
                        emitter.send(SseEmitter.event().data("{\"delta\":\"" + token + "\"}"));
                        Thread.sleep(5);
                    }
                    emitter.send(SseEmitter.event().data("[DONE]"));
                    emitter.complete();
                } catch (IOException | InterruptedException e) {
                    emitter.completeWithError(e);
                }
            });
            return emitter;
        }

        /** A Flux token stream from a tracked service, as Server-Sent Events. */
        @GetMapping(path = "/generate", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
        Flux<String> generate() {
            return engine.generate("world");
        }
    }
}
