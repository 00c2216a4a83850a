/**
 * A load generator for OpenAI-compatible inference servers: open-loop arrivals from a {@link
 * dev.llmautoscale.examples.loadgen.Schedule} (constant, ramp, spike, Poisson, trace replay), streaming-aware
 * measurement (time to first token from server-sent events), a live progress line, a percentile summary and a CSV of
 * every request. Run it with {@code java -jar examples/loadgen/target/loadgen.jar --help}.
 */
package dev.llmautoscale.examples.loadgen;
