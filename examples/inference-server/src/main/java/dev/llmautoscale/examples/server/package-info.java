/**
 * The example inference server: embedded Jetty 12 (ee10 servlet context), the llm-autoscale servlet filter and
 * endpoints, the core's lifecycle for warm-up and drain, the NVML module for GPU metrics, and the SIMULATED engine
 * behind OpenAI-compatible endpoints. Run {@code java -jar examples/inference-server/target/inference-server.jar}.
 */
package dev.llmautoscale.examples.server;
