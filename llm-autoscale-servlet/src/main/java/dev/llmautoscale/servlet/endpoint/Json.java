package dev.llmautoscale.servlet.endpoint;

import dev.llmautoscale.lifecycle.ProbeResult;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.function.Consumer;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/** Small JSON answers written with Jackson's streaming generator. */
final class Json {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private Json() {
    }

    /**
     * @param body writes one JSON value
     * @return the UTF-8 bytes
     */
    static byte[] write(Consumer<JsonGenerator> body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            body.accept(g);
        }
        return out.toByteArray();
    }

    /**
     * Sends a JSON answer that is never cached.
     *
     * @param response the response
     * @param status the HTTP status
     * @param body the JSON bytes
     */
    static void send(HttpServletResponse response, int status, byte[] body) throws IOException {
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /**
     * @param probe a liveness or readiness answer
     * @param okName the name of the boolean field ({@code ready} or {@code live})
     * @return {@code {"state":...,"<okName>":...,"reasons":[...]}}
     */
    static byte[] probe(ProbeResult probe, String okName) {
        return write(g -> {
            g.writeStartObject();
            g.writeStringProperty("state", probe.state().label());
            g.writeBooleanProperty(okName, probe.ok());
            g.writeName("reasons");
            g.writeStartArray();
            for (String reason : probe.reasons()) {
                g.writeString(reason);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /**
     * @param message what went wrong
     * @param type the error type
     * @param code a machine-readable code
     * @return an OpenAI-style error body
     */
    static byte[] error(String message, String type, String code) {
        return ErrorBody.of(message, type, code);
    }
}
