package dev.llmautoscale.examples.openai;

/**
 * A parsed and validated generation request.
 *
 * @param endpoint which endpoint it came to
 * @param model the model name (one the engine serves)
 * @param promptTokens the prompt's token count
 * @param maxTokens output tokens to generate
 * @param stream whether to answer with server-sent events
 * @param includeUsage whether a streamed answer ends with a usage chunk ({@code stream_options.include_usage})
 */
public record CompletionRequest(
        Endpoint endpoint, String model, int promptTokens, int maxTokens, boolean stream, boolean includeUsage) {
}
