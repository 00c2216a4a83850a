package dev.llmautoscale.examples.openai;

import dev.llmautoscale.examples.engine.EngineException;
import dev.llmautoscale.examples.engine.Generation;
import dev.llmautoscale.examples.engine.SimulatedEngine;
import dev.llmautoscale.examples.engine.SimulatedText;
import dev.llmautoscale.tracking.InferenceSpan;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAI-compatible protocol around the {@link SimulatedEngine}: parses and validates requests, runs them, and
 * writes JSON or server-sent events ({@code data: {...}\n\n} chunks, then {@code data: [DONE]}). Token counts go to the
 * request's {@link InferenceSpan} as they are produced, so time to first token and time per output token are measured
 * for real.
 */
public final class OpenAiHandler {

    /** The largest request body read, in bytes. */
    public static final int MAX_BODY_BYTES = 1 << 20;
    /** Output tokens generated when a request gives no {@code max_tokens} (OpenAI's completions default). */
    public static final int DEFAULT_MAX_TOKENS = 16;
    /** {@code system_fingerprint} of every answer: says the output is simulated. */
    public static final String FINGERPRINT = "llm-autoscale-simulated";

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT_END = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final long TOKEN_TIMEOUT_SECONDS = 120;

    private final SimulatedEngine engine;
    private final JsonMapper json = JsonMapper.builder().build();
    private final AtomicLong ids = new AtomicLong();
    private final long created = System.currentTimeMillis() / 1000;

    /**
     * @param engine the engine that generates
     */
    public OpenAiHandler(SimulatedEngine engine) {
        this.engine = Objects.requireNonNull(engine, "engine");
    }

    /**
     * Reads a request body, refusing one larger than {@link #MAX_BODY_BYTES}.
     *
     * @param in the body
     * @return its bytes
     * @throws ApiException 413 when too large
     * @throws IOException when reading fails
     */
    public static byte[] readBody(InputStream in) throws ApiException, IOException {
        byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
            throw new ApiException(413, "invalid_request_error", null, "request_too_large",
                    "the request body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        return bytes;
    }

    /**
     * Parses and validates a generation request. Everything that can be refused is refused here, before the
     * request is admitted and counted.
     *
     * @param endpoint the endpoint called
     * @param body the JSON body
     * @return the request
     * @throws ApiException 400 for a malformed request, 404 for an unknown model, 503 while the model loads
     */
    public CompletionRequest parse(Endpoint endpoint, byte[] body) throws ApiException {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw ApiException.invalid(null, "the request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw ApiException.invalid(null, "the request body must be a JSON object");
        }
        String model = model(root.get("model"));
        String prompt = endpoint == Endpoint.COMPLETIONS ? prompt(root.get("prompt")) : messages(root.get("messages"));
        int maxTokens = maxTokens(root, endpoint);
        JsonNode n = root.get("n");
        if (n != null && !n.isNull() && !(n.isIntegralNumber() && n.canConvertToInt() && n.intValue() == 1)) {
            throw ApiException.invalid("n", "the simulated engine generates one choice per request; 'n' must be 1");
        }
        boolean stream = flag(root, "stream");
        boolean includeUsage = false;
        JsonNode options = root.get("stream_options");
        if (options != null && !options.isNull()) {
            if (!options.isObject()) {
                throw ApiException.invalid("stream_options", "'stream_options' must be an object");
            }
            includeUsage = flag(options, "include_usage");
        }
        int promptTokens = PromptTokens.count(prompt);
        int context = engine.config().maxModelLength();
        if ((long) promptTokens + maxTokens > context) {
            throw new ApiException(400, "invalid_request_error", "max_tokens", "context_length_exceeded",
                    "this model's maximum context length is " + context + " tokens, but the request has "
                            + promptTokens + " prompt tokens and asks for " + maxTokens + " output tokens");
        }
        if (!engine.isLoaded(model)) {
            throw new ApiException(503, "service_unavailable", null, "model_loading",
                    "model '" + model + "' is still loading; retry when /ready answers 200");
        }
        return new CompletionRequest(endpoint, model, promptTokens, maxTokens, stream, includeUsage);
    }

    private String model(JsonNode node) throws ApiException {
        if (node == null || node.isNull()) {
            return engine.models().get(0);
        }
        if (!node.isString()) {
            throw ApiException.invalid("model", "'model' must be a string");
        }
        String model = node.stringValue();
        if (!engine.serves(model)) {
            throw new ApiException(404, "invalid_request_error", "model", "model_not_found",
                    "the model '" + model + "' does not exist; this server serves " + engine.models());
        }
        return model;
    }

    private static String prompt(JsonNode node) throws ApiException {
        if (node == null || node.isNull()) {
            throw ApiException.invalid("prompt", "'prompt' is required");
        }
        if (node.isString()) {
            return node.stringValue();
        }
        if (node.isArray()) {
            if (node.size() == 1 && node.get(0).isString()) {
                return node.get(0).stringValue();
            }
            throw ApiException.invalid("prompt", "the simulated engine takes one prompt per request: 'prompt' must be"
                    + " a string or an array of exactly one string");
        }
        throw ApiException.invalid("prompt", "'prompt' must be a string");
    }

    private static String messages(JsonNode node) throws ApiException {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw ApiException.invalid("messages", "'messages' must be a non-empty array of {role, content} objects");
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < node.size(); i++) {
            JsonNode m = node.get(i);
            String where = "messages[" + i + "]";
            if (!m.isObject() || !m.path("role").isString()) {
                throw ApiException.invalid(where, "'" + where + "' must be an object with a string 'role'");
            }
            if (i > 0) {
                text.append('\n');
            }
            JsonNode content = m.get("content");
            if (content == null || content.isNull()) {
                continue;
            }
            if (content.isString()) {
                text.append(content.stringValue());
            } else if (content.isArray()) {
                for (JsonNode part : content) {
                    if (!part.isObject() || !part.path("text").isString()) {
                        throw ApiException.invalid(where + ".content",
                                "content parts must be objects with a string 'text' (only text is simulated)");
                    }
                    text.append(part.get("text").stringValue());
                }
            } else {
                throw ApiException.invalid(where + ".content", "'content' must be a string or an array of parts");
            }
        }
        return text.toString();
    }

    private static int maxTokens(JsonNode root, Endpoint endpoint) throws ApiException {
        String field = "max_tokens";
        JsonNode node = root.get(field);
        if ((node == null || node.isNull()) && endpoint == Endpoint.CHAT_COMPLETIONS) {
            field = "max_completion_tokens";
            node = root.get(field);
        }
        if (node == null || node.isNull()) {
            return DEFAULT_MAX_TOKENS;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 1) {
            throw ApiException.invalid(field, "'" + field + "' must be an integer >= 1, got " + node);
        }
        return node.intValue();
    }

    private static boolean flag(JsonNode parent, String field) throws ApiException {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw ApiException.invalid(field, "'" + field + "' must be true or false");
        }
        return node.booleanValue();
    }

    /**
     * Runs a request on the engine and writes the answer, ending the span: {@code success} once the whole answer was
     * written, {@code cancelled} when the client went away (the sequence is dropped from the batch), {@code error}
     * when the engine failed.
     *
     * @param request the parsed request
     * @param span the request's span, started by admission (the caller closes it as a safety net)
     * @param sink the response
     * @throws IOException when the client went away (the span is already cancelled)
     */
    public void complete(CompletionRequest request, InferenceSpan span, ResponseSink sink) throws IOException {
        Generation g;
        try {
            g = engine.submit(request.model(), request.promptTokens(), request.maxTokens());
        } catch (IllegalStateException e) {
            span.failure(e);
            error(new ApiException(503, "service_unavailable", null, "engine_unavailable", e.getMessage()), sink);
            return;
        }
        span.promptTokens(request.promptTokens());
        String id = (request.endpoint() == Endpoint.COMPLETIONS ? "cmpl-sim-" : "chatcmpl-sim-")
                + Long.toHexString(ids.incrementAndGet());
        try {
            if (request.stream()) {
                stream(request, id, g, span, sink);
            } else {
                whole(request, id, g, span, sink);
            }
        } catch (IOException | RuntimeException e) {
            g.cancel();
            if (e instanceof IOException) {
                span.cancel();
            } else {
                span.failure(e);
            }
            throw e;
        } catch (InterruptedException e) {
            g.cancel();
            span.cancel();
            Thread.currentThread().interrupt();
        }
    }

    private void whole(CompletionRequest request, String id, Generation g, InferenceSpan span, ResponseSink sink)
            throws IOException, InterruptedException {
        StringBuilder text = new StringBuilder(request.maxTokens() * 8);
        int total = 0;
        try {
            int n;
            while ((n = g.await(TOKEN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) >= 0) {
                span.tokens(n);
                SimulatedText.append(text, total, n);
                total += n;
            }
        } catch (TimeoutException | EngineException | CancellationException e) {
            g.cancel();
            span.failure(e);
            error(new ApiException(503, "service_unavailable", null, "engine_failed", e.getMessage()), sink);
            return;
        }
        ObjectNode body = envelope(id, request, false);
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        if (request.endpoint() == Endpoint.COMPLETIONS) {
            choice.put("text", text.toString());
        } else {
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            message.put("content", text.toString());
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", "length");
        usage(body, request.promptTokens(), total);
        byte[] bytes = json.writeValueAsBytes(body);
        sink.start(200, "application/json");
        OutputStream out = sink.body();
        out.write(bytes);
        sink.flush();
        span.success();
    }

    private void stream(CompletionRequest request, String id, Generation g, InferenceSpan span, ResponseSink sink)
            throws IOException, InterruptedException {
        sink.header("Cache-Control", "no-cache");
        sink.header("X-Accel-Buffering", "no");
        sink.start(200, "text/event-stream");
        OutputStream out = sink.body();
        StringBuilder text = new StringBuilder(64);
        int total = 0;
        try {
            int n;
            while ((n = g.await(TOKEN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) >= 0) {
                span.tokens(n);
                text.setLength(0);
                SimulatedText.append(text, total, n);
                event(out, chunk(id, request, text.toString(), null, total == 0));
                total += n;
                sink.flush();
            }
        } catch (TimeoutException | EngineException | CancellationException e) {
            g.cancel();
            span.failure(e);
            ObjectNode err = json.createObjectNode();
            errorBody(err, new ApiException(503, "service_unavailable", null, "engine_failed", e.getMessage()));
            event(out, err);
            out.write(DONE);
            sink.flush();
            return;
        }
        event(out, chunk(id, request, "", "length", false));
        if (request.includeUsage()) {
            ObjectNode last = envelope(id, request, true);
            last.putArray("choices");
            usage(last, request.promptTokens(), total);
            event(out, last);
        }
        out.write(DONE);
        sink.flush();
        span.success();
    }

    private ObjectNode chunk(String id, CompletionRequest request, String text, String finish, boolean first) {
        ObjectNode body = envelope(id, request, true);
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        if (request.endpoint() == Endpoint.COMPLETIONS) {
            choice.put("text", text);
        } else {
            ObjectNode delta = choice.putObject("delta");
            if (first) {
                delta.put("role", "assistant");
            }
            if (finish == null) {
                delta.put("content", text);
            }
        }
        choice.putNull("logprobs");
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        return body;
    }

    private ObjectNode envelope(String id, CompletionRequest request, boolean chunk) {
        ObjectNode body = json.createObjectNode();
        body.put("id", id);
        String object;
        if (request.endpoint() == Endpoint.COMPLETIONS) {
            object = "text_completion";
        } else {
            object = chunk ? "chat.completion.chunk" : "chat.completion";
        }
        body.put("object", object);
        body.put("created", System.currentTimeMillis() / 1000);
        body.put("model", request.model());
        body.put("system_fingerprint", FINGERPRINT);
        return body;
    }

    private static void usage(ObjectNode body, int prompt, int completion) {
        ObjectNode usage = body.putObject("usage");
        usage.put("prompt_tokens", prompt);
        usage.put("completion_tokens", completion);
        usage.put("total_tokens", prompt + completion);
    }

    private void event(OutputStream out, ObjectNode node) throws IOException {
        out.write(DATA);
        out.write(json.writeValueAsBytes(node));
        out.write(EVENT_END);
    }

    /**
     * Writes {@code GET /v1/models}: every model, marked as simulated, with whether it is loaded.
     *
     * @param sink the response
     * @throws IOException when the client went away
     */
    public void models(ResponseSink sink) throws IOException {
        ObjectNode body = json.createObjectNode();
        body.put("object", "list");
        ArrayNode data = body.putArray("data");
        for (String m : engine.models()) {
            ObjectNode model = data.addObject();
            model.put("id", m);
            model.put("object", "model");
            model.put("created", created);
            model.put("owned_by", "llm-autoscale-examples (SIMULATED engine: no model runs)");
            model.put("simulated", true);
            model.put("loaded", engine.isLoaded(m));
            model.put("max_model_len", engine.config().maxModelLength());
        }
        write(sink, 200, body);
    }

    /**
     * Writes an OpenAI-style error answer; adds {@code Retry-After: 1} to a 503.
     *
     * @param e the error
     * @param sink the response
     * @throws IOException when the client went away
     */
    public void error(ApiException e, ResponseSink sink) throws IOException {
        if (e.status() == 503) {
            sink.header("Retry-After", "1");
        }
        ObjectNode body = json.createObjectNode();
        errorBody(body, e);
        write(sink, e.status(), body);
    }

    /**
     * Writes an OpenAI-style error answer with any status and message.
     *
     * @param status the HTTP status
     * @param type the error type
     * @param code the error code
     * @param message the message
     * @param headers extra headers (such as {@code Retry-After})
     * @param sink the response
     * @throws IOException when the client went away
     */
    public void error(int status, String type, String code, String message, Map<String, String> headers,
            ResponseSink sink) throws IOException {
        headers.forEach(sink::header);
        ObjectNode body = json.createObjectNode();
        errorBody(body, new ApiException(status, type, null, code, message));
        write(sink, status, body);
    }

    private static void errorBody(ObjectNode body, ApiException e) {
        ObjectNode error = body.putObject("error");
        error.put("message", e.getMessage());
        error.put("type", e.type());
        if (e.param() == null) {
            error.putNull("param");
        } else {
            error.put("param", e.param());
        }
        if (e.code() == null) {
            error.putNull("code");
        } else {
            error.put("code", e.code());
        }
    }

    private void write(ResponseSink sink, int status, ObjectNode body) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
        json.writeValue(buffer, body);
        sink.start(status, "application/json");
        sink.body().write(buffer.toByteArray());
        sink.flush();
    }
}
