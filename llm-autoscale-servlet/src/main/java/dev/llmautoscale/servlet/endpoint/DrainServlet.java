package dev.llmautoscale.servlet.endpoint;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.lifecycle.DrainResult;
import dev.llmautoscale.metrics.LoadSnapshot;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /drain}: starts draining. The server becomes not ready, refuses new inference requests (503,
 * {@code Retry-After}, {@code Connection: close}) and lets every admitted or queued request finish; liveness stays
 * green. Answers 202 at once with {@code {"state":"draining","running":2,"queued":0}}, or with
 * {@code ?wait=true} waits for the drain and answers 200 when it drained, 503 when the drain timeout ran out, with
 * {@code {"drained":...,"remainingRunning":...,"remainingQueued":...,"waitedMillis":...}}. A second call joins the
 * drain already running.
 *
 * <p>Off unless {@link DrainEndpointSettings#enabled()} (404). Then a caller needs a loopback address (when
 * {@link DrainEndpointSettings#allowLoopback()}, the default; e.g. a preStop hook) or
 * {@code Authorization: Bearer <token>} matching {@link DrainEndpointSettings#token()}; else 401 (no credentials)
 * or 403. The drain waits up to the lifecycle's drain timeout ({@code llm.autoscale.lifecycle.drain-timeout}).
 */
public final class DrainServlet extends HttpServlet {

    private static final Logger log = LoggerFactory.getLogger(DrainServlet.class);

    /** Whose lifecycle is drained. */
    private final LlmAutoscale autoscale;
    /** Who may call the endpoint (loopback, bearer token). */
    private final DrainEndpointSettings config;
    /** How long a drain waits for running and queued work. */
    private final Duration timeout;
    /** The drain in progress or done: a second call answers with the same one. */
    private final AtomicReference<@Nullable CompletableFuture<DrainResult>> drain = new AtomicReference<>();

    /**
     * @param autoscale whose lifecycle to drain
     * @param config the drain endpoint's settings (enabled, token, loopback)
     * @param timeout how long a drain waits for running and queued work
     */
    public DrainServlet(LlmAutoscale autoscale, DrainEndpointSettings config, Duration timeout) {
        this.autoscale = Objects.requireNonNull(autoscale, "autoscale");
        this.config = Objects.requireNonNull(config, "config");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!config.enabled()) {
            Json.send(resp, 404, Json.error("The drain endpoint is disabled; set "
                    + EndpointKeys.DRAIN_ENABLED.key() + "=true to enable it", "not_found_error", "disabled"));
            return;
        }
        String authorization = req.getHeader("Authorization");
        if (!authorized(req.getRemoteAddr(), authorization)) {
            if (authorization == null && config.token() != null) {
                resp.setHeader("WWW-Authenticate", "Bearer");
                Json.send(resp, 401, Json.error("Draining needs a bearer token", "authentication_error",
                        "unauthorized"));
            } else {
                Json.send(resp, 403, Json.error("Draining is allowed only from loopback or with the drain token",
                        "permission_error", "forbidden"));
            }
            return;
        }
        CompletableFuture<DrainResult> running = start(req.getRemoteAddr());
        awaitRefusing(running);
        if (!"true".equalsIgnoreCase(req.getParameter("wait"))) {
            LoadSnapshot load = autoscale.load();
            Json.send(resp, 202, Json.write(g -> {
                g.writeStartObject();
                g.writeStringProperty("state", load.state().label());
                g.writeNumberProperty("running", load.running());
                g.writeNumberProperty("queued", load.queued());
                g.writeNumberProperty("timeoutSeconds", timeout.toSeconds());
                g.writeEndObject();
            }));
            return;
        }
        DrainResult result;
        try {
            result = running.get(timeout.toMillis() + 10_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Json.send(resp, 503, Json.error("Interrupted while waiting for the drain", "unavailable_error",
                    "interrupted"));
            return;
        } catch (ExecutionException | TimeoutException e) {
            Json.send(resp, 500, Json.error("The drain failed: " + e, "api_error", "drain_failed"));
            return;
        }
        Json.send(resp, result.drained() ? 200 : 503, Json.write(g -> {
            g.writeStartObject();
            g.writeBooleanProperty("drained", result.drained());
            g.writeNumberProperty("remainingRunning", result.remainingRunning());
            g.writeNumberProperty("remainingQueued", result.remainingQueued());
            g.writeNumberProperty("waitedMillis", result.waited().toMillis());
            g.writeEndObject();
        }));
    }

    private CompletableFuture<DrainResult> start(String caller) {
        CompletableFuture<DrainResult> created = new CompletableFuture<>();
        if (!drain.compareAndSet(null, created)) {
            return drain.get();
        }
        log.info("llm-autoscale: drain requested by {}; refusing new requests, waiting up to {} s for in-flight work",
                caller, timeout.toSeconds());
        Thread t = new Thread(() -> {
            try {
                DrainResult r = autoscale.lifecycle().drain(timeout);
                log.info("llm-autoscale: drain {} after {} ms ({} running, {} queued left)",
                        r.drained() ? "completed" : "timed out", r.waited().toMillis(), r.remainingRunning(),
                        r.remainingQueued());
                created.complete(r);
            } catch (Throwable e) {
                created.completeExceptionally(e);
            }
        }, "llm-autoscale-drain");
        t.setDaemon(true);
        t.start();
        return created;
    }

    /** Answers only once new requests are refused, so that a caller can rely on it (a preStop hook does). */
    private void awaitRefusing(CompletableFuture<DrainResult> running) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (autoscale.lifecycle().isAcceptingWork() && !running.isDone() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private boolean authorized(@Nullable String remoteAddr, @Nullable String authorization) {
        if (config.allowLoopback() && isLoopback(remoteAddr)) {
            return true;
        }
        String token = config.token();
        if (token == null || authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param address a remote address as the container reports it (an IP literal)
     * @return whether it is a loopback address (127.0.0.0/8, ::1, or IPv4-mapped 127.x)
     */
    static boolean isLoopback(@Nullable String address) {
        if (address == null) {
            return false;
        }
        String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1)
                : address;
        if (a.startsWith("::ffff:") || a.startsWith("::FFFF:")) {
            a = a.substring(7);
        }
        return a.startsWith("127.") || a.equals("::1") || a.equals("0:0:0:0:0:0:0:1");
    }
}
