package dev.llmautoscale.servlet;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;

/**
 * Finds the top-level {@code model} field of an OpenAI-style JSON request body in its first bytes, with Jackson's
 * streaming parser. Anything unexpected (not JSON, truncated, too deep, not a string) means "no model": the request
 * is never affected.
 */
final class JsonBodies {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(64)
                    .maxNameLength(4096)
                    .build())
            .build();

    private JsonBodies() {
    }

    /**
     * Whether a request's body is worth peeking at: a JSON media type ({@code application/json} or
     * {@code application/*+json}), no content coding other than {@code identity}, and not known to be empty.
     *
     * @param request the request
     * @return whether to peek
     */
    static boolean peekable(HttpServletRequest request) {
        if (request.getContentLengthLong() == 0) {
            return false;
        }
        String type = request.getContentType();
        if (type == null || !isJson(type)) {
            return false;
        }
        String coding = request.getHeader("Content-Encoding");
        return coding == null || coding.isBlank() || coding.trim().equalsIgnoreCase("identity");
    }

    /**
     * @param contentType a Content-Type header value
     * @return whether its media type is JSON
     */
    static boolean isJson(String contentType) {
        int end = contentType.indexOf(';');
        if (end < 0) {
            end = contentType.length();
        }
        while (end > 0 && contentType.charAt(end - 1) == ' ') {
            end--;
        }
        int start = 0;
        while (start < end && contentType.charAt(start) == ' ') {
            start++;
        }
        int len = end - start;
        if (len == 16 && contentType.regionMatches(true, start, "application/json", 0, 16)) {
            return true;
        }
        return len > 17 && contentType.regionMatches(true, start, "application/", 0, 12)
                && contentType.regionMatches(true, end - 5, "+json", 0, 5);
    }

    /**
     * @param buf the first bytes of a body
     * @param len how many are valid
     * @return the top-level {@code model} string, or {@code null} when absent, not a string, or unparseable within
     *     the bytes given
     */
    static @Nullable String findModel(byte[] buf, int len) {
        int i = 0;
        if (len >= 3 && (buf[0] & 0xff) == 0xEF && (buf[1] & 0xff) == 0xBB && (buf[2] & 0xff) == 0xBF) {
            i = 3; // UTF-8 byte order mark
        }
        while (i < len && (buf[i] == ' ' || buf[i] == '\n' || buf[i] == '\r' || buf[i] == '\t')) {
            i++;
        }
        if (i >= len || buf[i] != '{') {
            return null; // not a JSON object: binary, an array, or empty
        }
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), buf, i, len - i)) {
            p.nextToken(); // START_OBJECT
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("model".equals(name)) {
                    return value == JsonToken.VALUE_STRING ? p.getString() : null;
                }
                p.skipChildren();
            }
            return null;
        } catch (RuntimeException malformedOrTruncated) {
            // Jackson 3 reports every parse problem (and the end of the peeked bytes) as an unchecked exception
            return null;
        }
    }
}
