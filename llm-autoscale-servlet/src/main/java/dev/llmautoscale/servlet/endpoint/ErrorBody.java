package dev.llmautoscale.servlet.endpoint;

import java.io.ByteArrayOutputStream;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * OpenAI-style error bodies, {@code {"error":{"message":...,"type":...,"param":null,"code":...}}}: what the filter
 * answers a refused request with and what the endpoints answer on error, so clients see one format.
 */
public final class ErrorBody {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private ErrorBody() {
    }

    /**
     * @param message a human-readable explanation
     * @param type the error type, such as {@code overloaded_error}
     * @param code the machine-readable code, such as {@code queue_full}
     * @return the body, UTF-8
     */
    public static byte[] of(String message, String type, String code) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            g.writeName("error");
            g.writeStartObject();
            g.writeStringProperty("message", message);
            g.writeStringProperty("type", type);
            g.writeNullProperty("param");
            g.writeStringProperty("code", code);
            g.writeEndObject();
            g.writeEndObject();
        }
        return out.toByteArray();
    }
}
