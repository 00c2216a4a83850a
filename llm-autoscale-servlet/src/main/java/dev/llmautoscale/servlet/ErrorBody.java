package dev.llmautoscale.servlet;

import java.io.ByteArrayOutputStream;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/** OpenAI-style error bodies: {@code {"error":{"message":...,"type":...,"param":null,"code":...}}}. */
final class ErrorBody {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private ErrorBody() {
    }

    /**
     * @param message a human-readable explanation
     * @param type the error type, such as {@code overloaded_error}
     * @param code the machine-readable code, such as {@code queue_full}
     * @return the body, UTF-8
     */
    static byte[] of(String message, String type, String code) {
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
