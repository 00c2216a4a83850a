/**
 * Request tracking for any Jakarta Servlet 6 container: the
 * {@link dev.llmautoscale.servlet.InferenceTrackingFilter} that turns each inference request into a span (model
 * from a header, the path or the JSON body; admission, queueing without a container thread, first token, token
 * counts, client disconnects), and its registration, by hand ({@link dev.llmautoscale.servlet.LlmAutoscaleServlets})
 * or zero-code ({@link dev.llmautoscale.servlet.LlmAutoscaleInitializer}), from the settings of
 * {@link dev.llmautoscale.servlet.ServletKeys}.
 */
@NullMarked
package dev.llmautoscale.servlet;

import org.jspecify.annotations.NullMarked;
