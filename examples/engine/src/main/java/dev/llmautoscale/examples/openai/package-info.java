/**
 * The OpenAI-compatible HTTP protocol of the example servers ({@code /v1/completions}, {@code /v1/chat/completions},
 * streaming over server-sent events or not, {@code /v1/models}), independent of the web framework: each server adapts
 * its request and response objects to {@link dev.llmautoscale.examples.openai.ResponseSink}.
 */
package dev.llmautoscale.examples.openai;
