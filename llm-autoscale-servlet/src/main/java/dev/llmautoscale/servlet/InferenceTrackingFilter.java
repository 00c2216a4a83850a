package dev.llmautoscale.servlet;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.admission.AdmissionRejectedException;
import dev.llmautoscale.servlet.endpoint.ErrorBody;
import dev.llmautoscale.lifecycle.InferenceLifecycle;
import dev.llmautoscale.lifecycle.LifecycleState;
import dev.llmautoscale.tracking.InferenceSpan;
import dev.llmautoscale.tracking.InferenceTracker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks every request on the configured inference paths through the core: admission, queue, running, duration,
 * time to first token, tokens and outcome. Requests on other paths pass through untouched.
 *
 * <p>{@code OPTIONS} (CORS preflight), {@code HEAD} and {@code TRACE} requests are never tracked. Per tracked
 * request, in order:
 * <ol>
 *   <li>the model name: the configured header (default {@code X-Model}), else a {@code {model}} path segment, else
 *       the top-level {@code model} field of a JSON body found in its first bytes (the application still reads the
 *       whole body, unchanged), else the configured default; always through the core's cardinality guard;</li>
 *   <li>admission ({@link InferenceTracker#start(String)}, which may wait in the queue); a refusal is answered at
 *       once: 429 (or the configured 503) with {@code Retry-After} when overloaded, 503 with {@code Retry-After} and
 *       {@code Connection: close} while draining, with an OpenAI-style JSON error body;</li>
 *   <li>the application runs; the first body bytes flushed to the client mark the first token;</li>
 *   <li>the outcome, when the chain returns or, for asynchronous requests (Server-Sent Events), when the
 *       {@link jakarta.servlet.AsyncListener} reports complete / error / timeout: status below 400 {@code success};
 *       400-599 {@code error} (client errors are also counted in {@code llm_inference_client_errors_total{model,code}});
 *       a client that went away (a failed write or flush, an asynchronous I/O error) or an asynchronous timeout
 *       {@code cancelled}; an exception from the application {@code error}.</li>
 * </ol>
 *
 * <p>Token counts are optional: set the request attributes {@value #PROMPT_TOKENS_ATTRIBUTE} and
 * {@value #COMPLETION_TOKENS_ATTRIBUTE} (a number), or the response headers or trailers {@value #PROMPT_TOKENS_HEADER}
 * and {@value #COMPLETION_TOKENS_HEADER}; or report them live on the span from {@link #span(ServletRequest)}.
 * While the server drains, every response carries {@code Connection: close} so that keep-alive clients move to
 * other replicas.
 *
 * <p>Register it on {@code /*} for {@link DispatcherType#REQUEST} with async support: {@link LlmAutoscaleServlets}
 * and {@link LlmAutoscaleInitializer} do that; it is built with its collaborators and settings and looks nothing up.
 */
public final class InferenceTrackingFilter implements Filter {

    /**
     * Request attribute holding the request's {@link InferenceSpan} while it is tracked, as seen through the request
     * the application receives (and any wrapper around it); not through the container's unwrapped request.
     */
    public static final String SPAN_ATTRIBUTE = InferenceSpan.class.getName();
    /** Request attribute for the prompt token count (a {@link Number} or numeric text), read at the end. */
    public static final String PROMPT_TOKENS_ATTRIBUTE = "llm.autoscale.prompt_tokens";
    /** Request attribute for the completion token count (total for the request), read at the end. */
    public static final String COMPLETION_TOKENS_ATTRIBUTE = "llm.autoscale.completion_tokens";
    /** Response header or trailer for the prompt token count. */
    public static final String PROMPT_TOKENS_HEADER = "X-LLM-Prompt-Tokens";
    /** Response header or trailer for the completion token count. */
    public static final String COMPLETION_TOKENS_HEADER = "X-LLM-Completion-Tokens";
    /** Micrometer name of the client error counter: {@code llm_inference_client_errors_total{model,code}}. */
    public static final String CLIENT_ERRORS_METRIC = "llm.inference.client.errors";

    static final Logger log = LoggerFactory.getLogger(InferenceTrackingFilter.class);
    /** How long after max-queue-wait the container's async timeout cancels a request still queued. */
    static final long QUEUE_TIMEOUT_MARGIN_MILLIS = 30_000;

    private final FilterSettings settings;
    private final InferenceTracker tracker;
    private final InferenceLifecycle lifecycle;
    private final MeterRegistry registry;
    private final PathPatterns patterns;
    private final @Nullable String modelHeader;
    private final int peekBytes;
    private final @Nullable String defaultModel;
    private final int overloadStatus;
    private final long queueTimeoutMillis;
    private final ConcurrentHashMap<String, @Nullable Counter[]> clientErrors = new ConcurrentHashMap<>();

    /**
     * @param autoscale the instance whose tracker, lifecycle and meters to use
     * @param settings what to track and how to answer refusals
     */
    public InferenceTrackingFilter(LlmAutoscale autoscale, FilterSettings settings) {
        Objects.requireNonNull(autoscale, "autoscale");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.tracker = autoscale.tracker();
        this.lifecycle = autoscale.lifecycle();
        this.registry = autoscale.registry();
        this.patterns = settings.patterns();
        this.modelHeader = settings.modelHeader();
        this.peekBytes = settings.bodyPeekBytes();
        this.defaultModel = settings.defaultModel();
        this.overloadStatus = settings.overloadStatus();
        // The core times a queued request out after max-queue-wait; the container's own async timeout is only a
        // safety net behind it.
        this.queueTimeoutMillis = autoscale.admissionLimits().maxQueueWait().toMillis() + QUEUE_TIMEOUT_MARGIN_MILLIS;
    }

    @Override
    public void init(FilterConfig filterConfig) {
        log.info("llm-autoscale: tracking {} (model from header {}, JSON body peek {} bytes, default model {})",
                settings.paths(), modelHeader == null ? "none" : modelHeader, peekBytes,
                defaultModel == null ? "default" : defaultModel);
    }

    /**
     * The span of a request being tracked, so that the application can report tokens as they are generated
     * ({@link InferenceSpan#tokens(long)}), which also gives {@code llm_time_per_output_token_seconds}. The filter
     * ends the span; the application must not end or close it.
     *
     * @param request the request
     * @return the span, or empty when the request is not tracked
     */
    public static Optional<InferenceSpan> span(ServletRequest request) {
        Object span = request.getAttribute(SPAN_ATTRIBUTE);
        return span instanceof InferenceSpan ? Optional.of((InferenceSpan) span) : Optional.empty();
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest) || !(res instanceof HttpServletResponse)) {
            chain.doFilter(req, res);
            return;
        }
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        LifecycleState state = lifecycle.state();
        if (state == LifecycleState.DRAINING || state == LifecycleState.STOPPED) {
            response.setHeader("Connection", "close"); // let keep-alive clients reconnect to another replica
        }
        if (request.getDispatcherType() == DispatcherType.ASYNC
                && request.getAttribute(QueuedRequest.ATTRIBUTE) instanceof QueuedRequest queued) {
            request.removeAttribute(QueuedRequest.ATTRIBUTE);
            resume(queued, response, chain);
            return;
        }
        if (request.getDispatcherType() != DispatcherType.REQUEST || !inferenceMethod(request.getMethod())) {
            chain.doFilter(req, res);
            return;
        }
        String uri = request.getRequestURI();
        int start = request.getContextPath().length();
        int end = PathPatterns.pathEnd(uri, start);
        int pattern = patterns.match(uri, start, end);
        if (pattern < 0) {
            chain.doFilter(req, res);
            return;
        }
        track(request, response, chain, uri, start, end, pattern);
    }

    /** CORS preflights, HEAD and TRACE are not inferences. */
    private static boolean inferenceMethod(String method) {
        return !(method.equals("OPTIONS") || method.equals("HEAD") || method.equals("TRACE"));
    }

    private void track(HttpServletRequest request, HttpServletResponse response, FilterChain chain, String uri,
            int start, int end, int pattern) throws IOException, ServletException {
        String model = modelHeader == null ? null : request.getHeader(modelHeader);
        if (model == null || model.isEmpty()) {
            model = patterns.model(pattern, uri, start, end);
        }
        TrackedRequest wrapped = new TrackedRequest(request);
        if ((model == null || model.isEmpty()) && peekBytes > 0 && JsonBodies.peekable(request)) {
            model = wrapped.peekModel(peekBytes);
        }
        if (model == null || model.isEmpty()) {
            model = defaultModel;
        }
        CompletableFuture<InferenceSpan> admission = tracker.startAsync(model);
        if (!admission.isDone() && request.isAsyncSupported()) {
            // Queued: suspend the request so that no container thread waits; it is dispatched again, on a container
            // thread, when it is admitted, refused or timed out (resume).
            QueuedRequest queued = new QueuedRequest(request, wrapped, admission);
            queued.suspend(request.startAsync(wrapped, response), queueTimeoutMillis);
            return;
        }
        InferenceSpan span = admitted(admission, response);
        if (span != null) {
            proceed(request, wrapped, response, chain, span);
        }
    }

    /** The request's turn came: it runs now, on the container thread of this dispatch, or is refused. */
    private void resume(QueuedRequest queued, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        InferenceSpan span = admitted(queued.admission(), response);
        if (span != null) {
            proceed(queued.request(), queued.wrapped(), response, chain, span);
        }
    }

    /**
     * @return the admitted span, or {@code null} after answering the refusal (or the cancellation)
     */
    private @Nullable InferenceSpan admitted(CompletableFuture<InferenceSpan> admission, HttpServletResponse response) {
        try {
            return admission.get(); // done, unless the chain does not support async (then this thread waits)
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AdmissionRejectedException rejected) {
                refuse(response, rejected);
                return null;
            }
            throw new IllegalStateException("admission failed", e.getCause());
        } catch (CancellationException e) {
            // cancelled while queued (already counted as cancelled): the client went away or the container gave up
            send(response, 503, -1, false, ErrorBody.of("The request was cancelled while queued",
                    "unavailable_error", "cancelled"));
            return null;
        } catch (InterruptedException e) {
            admission.cancel(false); // counted as cancelled; a slot granted meanwhile is given back
            Thread.currentThread().interrupt();
            send(response, 503, -1, false, ErrorBody.of("Interrupted while queued", "unavailable_error",
                    "cancelled"));
            return null;
        }
    }

    private void proceed(HttpServletRequest request, TrackedRequest wrapped, HttpServletResponse response,
            FilterChain chain, InferenceSpan span) throws IOException, ServletException {
        // The span is ended (success / failure / cancel) by the response's tracking, on this thread or in the
        // asynchronous listener.
        TrackedResponse tracked = new TrackedResponse(response, span, request, this);
        wrapped.tracked(tracked, span);
        try {
            chain.doFilter(wrapped, tracked);
        } catch (IOException | ServletException | RuntimeException | Error e) {
            tracked.chainFailed(e);
            throw e;
        }
        tracked.chainReturned();
    }

    private void refuse(HttpServletResponse response, AdmissionRejectedException e) {
        boolean draining = e.isDraining();
        int status = draining ? 503 : overloadStatus;
        String type = draining ? "unavailable_error" : "overloaded_error";
        send(response, status, e.retryAfterSeconds(), draining, ErrorBody.of(e.getMessage(), type, e.reason().label()));
    }

    static void send(HttpServletResponse response, int status, long retryAfter, boolean close, byte[] body) {
        if (response.isCommitted()) {
            return;
        }
        response.setStatus(status);
        if (retryAfter >= 0) {
            response.setHeader("Retry-After", Long.toString(retryAfter));
        }
        if (close) {
            response.setHeader("Connection", "close");
        }
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json");
        response.setContentLength(body.length);
        try {
            response.getOutputStream().write(body);
        } catch (IOException | IllegalStateException clientGoneOrWriterUsed) {
            log.debug("Could not write a refusal body", clientGoneOrWriterUsed);
        }
    }

    /**
     * Counts a response with a 4xx status in {@code llm_inference_client_errors_total{model,code}}.
     *
     * @param model the model label value
     * @param status 400 to 499
     */
    void clientError(String model, int status) {
        Counter[] counters = clientErrors.computeIfAbsent(model, m -> new Counter[100]);
        int i = status - 400;
        Counter c = counters[i];
        if (c == null) {
            c = Counter.builder(CLIENT_ERRORS_METRIC)
                    .description("Inference requests answered with a 4xx status (also counted as status=\"error\")")
                    .tag("model", model)
                    .tag("code", Integer.toString(status))
                    .register(registry);
            counters[i] = c;
        }
        c.increment();
    }

    /**
     * @return the settings in use
     */
    public FilterSettings settings() {
        return settings;
    }

    @Override
    public void destroy() {
        clientErrors.clear();
    }
}
