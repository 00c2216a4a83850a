package dev.llmautoscale.examples.server;

import dev.llmautoscale.examples.openai.Endpoint;
import dev.llmautoscale.examples.openai.OpenAiHandler;
import dev.llmautoscale.examples.openai.ResponseSink;
import dev.llmautoscale.examples.openai.servlet.ServletOpenAi;
import dev.llmautoscale.tracking.InferenceTracker;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * {@code /v1/*}: the OpenAI-compatible endpoints. The servlet module's filter has already admitted a generation
 * request (it may have waited in the admission queue) and started its span; this servlet reports the tokens to that
 * span as the engine produces them and ends it.
 */
final class OpenAiServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient OpenAiHandler handler;
    private final transient ServletOpenAi openAi;

    OpenAiServlet(OpenAiHandler handler, InferenceTracker tracker) {
        this.handler = handler;
        this.openAi = new ServletOpenAi(handler, tracker);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        Endpoint endpoint = endpoint(req.getRequestURI());
        if (endpoint == null) {
            notFound(req, ServletOpenAi.sink(resp));
            return;
        }
        openAi.generate(endpoint, req, resp);
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ResponseSink sink = ServletOpenAi.sink(resp);
        if ("/v1/models".equals(req.getRequestURI())) {
            handler.models(sink);
        } else if (endpoint(req.getRequestURI()) != null) {
            handler.error(405, "invalid_request_error", "method_not_allowed",
                    req.getRequestURI() + " takes POST with a JSON body", Map.of("Allow", "POST"), sink);
        } else {
            notFound(req, sink);
        }
    }

    private void notFound(HttpServletRequest req, ResponseSink sink) throws IOException {
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
