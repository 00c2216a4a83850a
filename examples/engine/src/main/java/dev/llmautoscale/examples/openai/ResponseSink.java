package dev.llmautoscale.examples.openai;

import java.io.IOException;
import java.io.OutputStream;

/** The web framework's response, as the {@link OpenAiHandler} writes it. */
public interface ResponseSink {

    /**
     * Sets the status and a header before the body; call once per header.
     *
     * @param name the header name
     * @param value its value
     */
    void header(String name, String value);

    /**
     * Sets the status and content type; must precede {@link #body()}.
     *
     * @param status the HTTP status
     * @param contentType the content type
     */
    void start(int status, String contentType);

    /**
     * @return the body stream
     * @throws IOException when the client is gone
     */
    OutputStream body() throws IOException;

    /**
     * Sends what was written so far (each server-sent event is flushed).
     *
     * @throws IOException when the client is gone
     */
    void flush() throws IOException;
}
