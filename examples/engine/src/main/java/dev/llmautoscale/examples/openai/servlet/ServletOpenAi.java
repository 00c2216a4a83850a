package dev.llmautoscale.examples.openai.servlet;

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
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenAI endpoints over the Servlet API, shared by the Jetty and the Spring Boot example servers. The servlet
 * module's filter has admitted each generation request (it may have waited in the admission queue) and started its
 * span; {@link #generate} reports the tokens to that span as the engine produces them and ends it.
 */
public final class ServletOpenAi {

    private static final Logger log = LoggerFactory.getLogger(ServletOpenAi.class);

    private final OpenAiHandler handler;
    private final InferenceTracker tracker;

    /**
     * @param handler the protocol handler in front of the engine
     * @param tracker used only when the filter does not track the path (its paths were reconfigured)
     */
    public ServletOpenAi(OpenAiHandler handler, InferenceTracker tracker) {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.tracker = Objects.requireNonNull(tracker, "tracker");
    }

    /**
     * Serves one completion or chat completion, streaming or not.
     *
     * @param endpoint which of the two
     * @param req the request (its body is the OpenAI JSON)
     * @param resp the response
     * @throws IOException when the response cannot be written before the generation starts
     */
    public void generate(Endpoint endpoint, HttpServletRequest req, HttpServletResponse resp) throws IOException {
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
                // Only when the filter's paths were changed to leave this path out: track it here instead.
                try (InferenceSpan span = tracker.start(request.model())) {
                    handler.complete(request, span, sink);
                }
            }
        } catch (IOException clientGone) {
            // The client disconnected; the span is already counted as cancelled and the sequence left the batch.
            log.debug("client went away during {}: {}", req.getRequestURI(), clientGone.toString());
        }
    }

    /**
     * A servlet response as the {@link OpenAiHandler} writes it.
     *
     * @param response the response
     * @return the sink
     */
    public static ResponseSink sink(HttpServletResponse response) {
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
