package dev.llmautoscale.examples.spring;

import dev.llmautoscale.examples.openai.ApiException;
import dev.llmautoscale.examples.openai.CompletionRequest;
import dev.llmautoscale.examples.openai.Endpoint;
import dev.llmautoscale.examples.openai.OpenAiHandler;
import dev.llmautoscale.examples.openai.ResponseSink;
import dev.llmautoscale.servlet.InferenceTrackingFilter;
import dev.llmautoscale.tracking.InferenceSpan;
import dev.llmautoscale.tracking.InferenceTracker;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The OpenAI-compatible endpoints. The starter's servlet filter has admitted each generation request and started its
 * span; the handler reports tokens to it as the engine produces them, streaming server-sent events straight to the
 * response (a blocking handler: the request thread is the one waiting for tokens, as in the Jetty example).
 */
@RestController
class OpenAiController {

    private static final Logger log = LoggerFactory.getLogger(OpenAiController.class);

    private final OpenAiHandler handler;
    private final InferenceTracker tracker;

    OpenAiController(OpenAiHandler handler, InferenceTracker tracker) {
        this.handler = handler;
        this.tracker = tracker;
    }

    @PostMapping("/v1/completions")
    void completions(HttpServletRequest request, HttpServletResponse response) throws IOException {
        generate(Endpoint.COMPLETIONS, request, response);
    }

    @PostMapping("/v1/chat/completions")
    void chatCompletions(HttpServletRequest request, HttpServletResponse response) throws IOException {
        generate(Endpoint.CHAT_COMPLETIONS, request, response);
    }

    @GetMapping("/v1/models")
    void models(HttpServletResponse response) throws IOException {
        handler.models(sink(response));
    }

    private void generate(Endpoint endpoint, HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ResponseSink sink = sink(resp);
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
                // Only when llm.autoscale.servlet.paths leaves this path out: track it here instead.
                try (InferenceSpan span = tracker.start(request.model())) {
                    handler.complete(request, span, sink);
                }
            }
        } catch (IOException clientGone) {
            // The span is already counted as cancelled and the sequence left the batch.
            log.debug("client went away during {}: {}", req.getRequestURI(), clientGone.toString());
        }
    }

    private static ResponseSink sink(HttpServletResponse response) {
        return new ResponseSink() {
            @Override
            public void header(String name, String value) {
                response.setHeader(name, value);
            }

            @Override
            public void start(int status, String contentType) {
                response.setStatus(status);
                response.setContentType(contentType);
                response.setCharacterEncoding("UTF-8");
            }

            @Override
            public OutputStream body() throws IOException {
                return response.getOutputStream();
            }

            @Override
            public void flush() throws IOException {
                response.flushBuffer();
            }
        };
    }
}
