package dev.llmautoscale.examples.server;

import dev.llmautoscale.examples.openai.ResponseSink;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;

/** A servlet response as the {@link dev.llmautoscale.examples.openai.OpenAiHandler} writes it. */
final class ServletSink implements ResponseSink {

    private final HttpServletResponse response;

    ServletSink(HttpServletResponse response) {
        this.response = response;
    }

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
}
