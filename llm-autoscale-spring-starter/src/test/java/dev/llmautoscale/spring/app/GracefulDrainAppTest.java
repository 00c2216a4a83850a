package dev.llmautoscale.spring.app;

import static dev.llmautoscale.spring.app.InferenceTestApp.WAIT_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.lifecycle.DrainResult;
import dev.llmautoscale.lifecycle.LifecycleState;
import dev.llmautoscale.metrics.InferenceStatus;
import dev.llmautoscale.metrics.MetricNames;
import dev.llmautoscale.spring.app.InferenceTestApp.Gates;
import dev.llmautoscale.spring.lifecycle.InferenceServingLifecycle;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Closing a real application while requests are in flight: readiness turns at once, requests keep being served for
 * the pre-drain delay, new inferences are then refused with 503, and every admitted request completes with 200
 * before the web server's graceful shutdown lets the context close.
 */
class GracefulDrainAppTest {

    private static final Duration WAIT = Duration.ofSeconds(WAIT_SECONDS);
    private static final int IN_FLIGHT = 4;

    private ConfigurableApplicationContext context;

    @AfterEach
    void close() {
        if (context != null) {
            context.getBean(Gates.class).slow.countDown();
            context.close();
        }
    }

    @Test
    void everyAdmittedRequestCompletesWhenTheContextCloses() throws Exception {
        context = new SpringApplicationBuilder(InferenceTestApp.class).properties(
                "server.port=0",
                "test.warmup-blocked=false",
                "management.endpoints.web.exposure.include=health",
                "llm.autoscale.lifecycle.pre-drain-delay=500ms",
                "llm.autoscale.lifecycle.drain-timeout=25s",
                // far shorter than the drain: the starter raises the timeout of its own shutdown phase
                "spring.lifecycle.timeout-per-shutdown-phase=2s").run();
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        Http http = new Http(port);
        Gates gates = context.getBean(Gates.class);
        LlmAutoscale autoscale = context.getBean(LlmAutoscale.class);
        InferenceServingLifecycle serving = context.getBean(InferenceServingLifecycle.class);
        await().atMost(WAIT).until(() -> http.get("/actuator/health/readiness").statusCode() == 200);

        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < IN_FLIGHT; i++) {
            inFlight.add(http.client().sendAsync(http.postRequest("/v1/completions", "llama-13b",
                    "{\"prompt\":\"slow " + i + "\"}"), HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(WAIT).until(() -> gates.slowStarted.get() == IN_FLIGHT);
        assertThat(autoscale.load().running()).isEqualTo(IN_FLIGHT);

        ConfigurableApplicationContext closing = context;
        CompletableFuture<Void> closed = new CompletableFuture<>();
        Thread closer = new Thread(() -> {
            try {
                closing.close();
                closed.complete(null);
            } catch (RuntimeException | Error e) {
                closed.completeExceptionally(e);
            }
        }, "test-context-close");
        closer.start();

        // Not ready at once, while still serving: load balancers take the endpoint out meanwhile.
        await().atMost(WAIT).until(() -> http.get("/actuator/health/readiness").statusCode() == 503);
        assertThat(autoscale.lifecycle().state()).isEqualTo(LifecycleState.DRAINING);
        assertThat(http.get("/active_requests").body().trim()).isEqualTo(Integer.toString(IN_FLIGHT));

        // After the pre-drain delay, new inferences are refused, with a hint to retry elsewhere.
        await().atMost(WAIT).until(() -> !autoscale.lifecycle().isAcceptingWork());
        HttpResponse<String> refused = http.post("/v1/completions", "llama-13b", "{\"prompt\":\"late\"}");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.body()).contains("draining");

        // The context waits for the admitted requests, well past the 2 s phase timeout.
        Thread.sleep(2500);
        assertThat(closed).as("the context must not close while requests are in flight").isNotDone();
        assertThat(inFlight).noneMatch(CompletableFuture::isDone);

        gates.slow.countDown();
        for (CompletableFuture<HttpResponse<String>> f : inFlight) {
            HttpResponse<String> response = f.get(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"text\":\"ok\"");
        }
        closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
        context = null;

        DrainResult drain = serving.lastDrain().orElseThrow();
        assertThat(drain.drained()).isTrue();
        assertThat(autoscale.lifecycle().state()).isEqualTo(LifecycleState.STOPPED);
        assertThat(count(autoscale, "llama-13b", InferenceStatus.SUCCESS)).isEqualTo(IN_FLIGHT);
        assertThat(count(autoscale, "llama-13b", InferenceStatus.REJECTED)).isEqualTo(1);
        // and the web server is gone
        CompletableFuture<HttpResponse<String>> after = http.client().sendAsync(
                http.postRequest("/v1/completions", "llama-13b", "{}"), HttpResponse.BodyHandlers.ofString());
        assertThat(after).failsWithin(WAIT).withThrowableThat().havingCause().isInstanceOf(ConnectException.class);
    }

    private static long count(LlmAutoscale autoscale, String model, InferenceStatus status) {
        return (long) autoscale.registry().get(MetricNames.REQUESTS).tag("model", model).tag("status", status.label())
                .counter().count();
    }
}
