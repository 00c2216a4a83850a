package dev.llmautoscale.examples.spring;

import dev.llmautoscale.examples.openai.Endpoint;
import dev.llmautoscale.examples.openai.OpenAiHandler;
import dev.llmautoscale.examples.openai.servlet.ServletOpenAi;
import dev.llmautoscale.tracking.InferenceTracker;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
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

    private final OpenAiHandler handler;
    private final ServletOpenAi openAi;

    OpenAiController(OpenAiHandler handler, InferenceTracker tracker) {
        this.handler = handler;
        this.openAi = new ServletOpenAi(handler, tracker);
    }

    @PostMapping("/v1/completions")
    void completions(HttpServletRequest request, HttpServletResponse response) throws IOException {
        openAi.generate(Endpoint.COMPLETIONS, request, response);
    }

    @PostMapping("/v1/chat/completions")
    void chatCompletions(HttpServletRequest request, HttpServletResponse response) throws IOException {
        openAi.generate(Endpoint.CHAT_COMPLETIONS, request, response);
    }

    @GetMapping("/v1/models")
    void models(HttpServletResponse response) throws IOException {
        handler.models(ServletOpenAi.sink(response));
    }
}
