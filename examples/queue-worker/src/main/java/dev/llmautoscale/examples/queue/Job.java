package dev.llmautoscale.examples.queue;

import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One inference job, as a producer pushes it ({@code LPUSH inference_queue '<json>'}):
 *
 * <pre>{@code
 * {"id": "job-42", "model": "llama-2-13b-chat", "prompt": "Summarise ...", "max_tokens": 64,
 *  "reply_to": "replies:client-7", "enqueued_at": 1764582000000}
 * }</pre>
 *
 * <ul>
 *   <li>{@code id} (required): 1-200 characters without spaces; the result is stored under
 *       {@code <queue>:result:<id>}; a second job with the id of a stored result is not run again.</li>
 *   <li>{@code model} (optional): one of the worker's {@code MODEL_NAME}s; default its first.</li>
 *   <li>{@code prompt} (required): the text; its tokens plus {@code max_tokens} must fit the model's context.</li>
 *   <li>{@code max_tokens} (required): output tokens, an integer of at least 1.</li>
 *   <li>{@code reply_to} (optional): a list the result is also {@code RPUSH}ed onto, for a client that waits with
 *       {@code BLPOP}.</li>
 *   <li>{@code enqueued_at} (optional): when the job was pushed, in epoch milliseconds; gives
 *       {@code llm_queue_worker_job_age_seconds}.</li>
 * </ul>
 * Any other field is an error (a misspelt {@code maxTokens} must not be silently ignored).
 *
 * @param id the job id
 * @param model the model, {@code null} for the worker's default
 * @param prompt the prompt
 * @param maxTokens output tokens
 * @param replyTo the reply list, or {@code null}
 * @param enqueuedAtMillis when pushed, or -1 when unknown
 */
public record Job(String id, String model, String prompt, int maxTokens, String replyTo, long enqueuedAtMillis) {

    /** The fields of a job. */
    public static final Set<String> FIELDS = Set.of("id", "model", "prompt", "max_tokens", "reply_to", "enqueued_at");

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /**
     * Parses a job.
     *
     * @param raw the list element
     * @param maxBytes the largest job accepted
     * @return the job
     * @throws JobException {@code MALFORMED} or {@code TOO_LARGE}, with the field and what is allowed
     */
    public static Job parse(String raw, int maxBytes) throws JobException {
        int bytes = raw.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            throw new JobException(JobException.Reason.TOO_LARGE, "the job is " + bytes
                    + " bytes, more than MAX_JOB_BYTES (" + maxBytes + ")");
        }
        JsonNode node;
        try {
            node = JSON.readTree(raw);
        } catch (JacksonException e) {
            throw new JobException(JobException.Reason.MALFORMED, "the job is not JSON: "
                    + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw new JobException(JobException.Reason.MALFORMED, "the job must be a JSON object with the fields "
                    + "id, prompt, max_tokens (and optionally model, reply_to, enqueued_at), got "
                    + (node == null ? "nothing" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator(); it.hasNext();) {
            String field = it.next().getKey();
            if (!FIELDS.contains(field)) {
                throw new JobException(JobException.Reason.MALFORMED, "unknown field '" + field
                        + "'; a job has the fields id, model, prompt, max_tokens, reply_to, enqueued_at");
            }
        }
        String id = text(object, "id", true);
        if (id.length() > 200 || id.chars().anyMatch(Character::isWhitespace)) {
            throw new JobException(JobException.Reason.MALFORMED,
                    "'id' must be 1-200 characters without spaces, got '" + abbreviate(id) + "'");
        }
        String model = text(object, "model", false);
        String prompt = text(object, "prompt", true);
        JsonNode max = object.get("max_tokens");
        if (max == null || max.isNull()) {
            throw new JobException(JobException.Reason.MALFORMED, "'max_tokens' is required (an integer >= 1)");
        }
        if (!max.isIntegralNumber() || !max.canConvertToInt() || max.intValue() < 1) {
            throw new JobException(JobException.Reason.MALFORMED, "'max_tokens' must be an integer >= 1, got "
                    + abbreviate(max.toString()));
        }
        String replyTo = text(object, "reply_to", false);
        long enqueuedAt = -1;
        JsonNode at = object.get("enqueued_at");
        if (at != null && !at.isNull()) {
            if (!at.isIntegralNumber() || !at.canConvertToLong() || at.longValue() < 0) {
                throw new JobException(JobException.Reason.MALFORMED,
                        "'enqueued_at' must be epoch milliseconds (an integer >= 0), got " + abbreviate(at.toString()));
            }
            enqueuedAt = at.longValue();
        }
        return new Job(id, model, prompt, max.intValue(), replyTo, enqueuedAt);
    }

    private static String text(ObjectNode object, String field, boolean required) throws JobException {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new JobException(JobException.Reason.MALFORMED, "'" + field + "' is required (a string)");
            }
            return null;
        }
        if (!v.isString() || v.stringValue().isEmpty()) {
            throw new JobException(JobException.Reason.MALFORMED, "'" + field + "' must be a non-empty string, got "
                    + abbreviate(v.toString()));
        }
        return v.stringValue();
    }

    /**
     * A best-effort id of a job that could not be parsed, for the dead-letter entry.
     *
     * @param raw the list element
     * @return the id, or {@code null}
     */
    static String idOf(String raw) {
        try {
            JsonNode id = JSON.readTree(raw).get("id");
            return id != null && id.isString() ? id.stringValue() : null;
        } catch (RuntimeException e) { // JacksonException included: not JSON
            return null;
        }
    }

    /**
     * @return the job as a producer writes it
     */
    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", id);
        if (model != null) {
            o.put("model", model);
        }
        o.put("prompt", prompt);
        o.put("max_tokens", maxTokens);
        if (replyTo != null) {
            o.put("reply_to", replyTo);
        }
        if (enqueuedAtMillis >= 0) {
            o.put("enqueued_at", enqueuedAtMillis);
        }
        return o.toString();
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /**
     * @return the shared JSON mapper
     */
    static ObjectMapper json() {
        return JSON;
    }
}
