package dev.llmautoscale.examples.server;

import dev.llmautoscale.examples.openai.ApiException;
import dev.llmautoscale.examples.openai.CompletionRequest;
import dev.llmautoscale.examples.openai.Endpoint;
import dev.llmautoscale.examples.openai.OpenAiHandler;
import dev.llmautoscale.servlet.InferenceTrackingFilter;
import dev.llmautoscale.tracking.InferenceSpan;
import dev.llmautoscale.tracking.InferenceTracker;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v1/*}: the OpenAI-compatible endpoints. The servlet module's filter has already admitted a generation
 * request (it may have waited in the admission queue) and started its span; this servlet reports the tokens to that
 * span as the engine produces them and ends it.
 */
final class OpenAiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger log = LoggerFactory.getLogger(OpenAiServlet.class);

    private final transient OpenAiHandler handler;
    private final transient InferenceTracker tracker;

    OpenAiServlet(OpenAiHandler handler, InferenceTracker tracker) {
        this.handler = handler;
        this.tracker = tracker;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ServletSink sink = new ServletSink(resp);
        Endpoint endpoint = endpoint(req.getRequestURI());
        if (endpoint == null) {
            notFound(req, sink);
            return;
        }
        CompletionRequest request;
        try {
            request = handler.parse(endpoint, OpenAiHandler.readBody(req.getInputStream()));
        } catch (ApiException e) {
            handler.error(e, sink);
            return;
        }
        Optional<InferenceSpan> tracked = InferenceTrackingFilter.span(req);
        try {
            if (tracked.isPresent()) {
                handler.complete(request, tracked.get(), sink);
            } else {
                // Only when llm.autoscale.paths was changed to leave this path out: track it here instead.
                try (InferenceSpan span = tracker.start(request.model())) {
                    handler.complete(request, span, sink);
                }
            }
        } catch (IOException clientGone) {
            // The client disconnected; the span is already counted as cancelled and the sequence left the batch.
            log.debug("client went away during {}: {}", req.getRequestURI(), clientGone.toString());
        }
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ServletSink sink = new ServletSink(resp);
        if ("/v1/models".equals(req.getRequestURI())) {
            handler.models(sink);
        } else if (endpoint(req.getRequestURI()) != null) {
            handler.error(405, "invalid_request_error", "method_not_allowed",
                    req.getRequestURI() + " takes POST with a JSON body", Map.of("Allow", "POST"), sink);
        } else {
            notFound(req, sink);
        }
    }

    private void notFound(HttpServletRequest req, ServletSink sink) throws IOException {
        handler.error(404, "invalid_request_error", "not_found", "no such endpoint: " + req.getMethod() + " "
                + req.getRequestURI() + "; try POST /v1/completions, POST /v1/chat/completions or GET /v1/models",
                Map.of(), sink);
    }

    private static Endpoint endpoint(String uri) {
        for (Endpoint e : Endpoint.values()) {
            if (e.path().equals(uri)) {
                return e;
            }
        }
        return null;
    }
}
