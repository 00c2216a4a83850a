/**
 * The OpenAI endpoints over the Servlet API and the llm-autoscale servlet filter, shared by the example servers.
 * Needs the Servlet API and {@code llm-autoscale-servlet} at run time (both example servers have them).
 */
package dev.llmautoscale.examples.openai.servlet;
