package dev.llmautoscale.examples.loadgen;

/**
 * What happened to one request.
 *
 * @param id the request number, from 1 in schedule order
 * @param scheduledNanos when it was planned, from the start of the run
 * @param sentNanos when it was sent, from the start of the run
 * @param status the HTTP status, or 0 when none was received
 * @param ttftMillis time to first token: from sending until the first server-sent event with a token (NaN when not
 *     streamed or none came)
 * @param e2eMillis from sending until the answer was complete (or the failure)
 * @param promptTokens prompt tokens sent
 * @param maxTokens output tokens asked for
 * @param usagePromptTokens prompt tokens the server reported in {@code usage}, or -1
 * @param usageCompletionTokens output tokens the server reported in {@code usage}, or -1
 * @param chunks server-sent events with data received (not counting {@code [DONE]})
 * @param inFlightAtSend other requests of this run outstanding when this one was sent
 * @param retryAfter the {@code Retry-After} header, or {@code null}
 * @param outcome the classification
 * @param error a short description of the failure, or {@code null}
 */
public record RequestResult(
        long id,
        long scheduledNanos,
        long sentNanos,
        int status,
        double ttftMillis,
        double e2eMillis,
        int promptTokens,
        int maxTokens,
        long usagePromptTokens,
        long usageCompletionTokens,
        int chunks,
        int inFlightAtSend,
        String retryAfter,
        Outcome outcome,
        String error) {
}
