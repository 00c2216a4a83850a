/**
 * A SIMULATED LLM engine for the examples: it reads no weights and runs no model. It reproduces the timing
 * behaviour that matters for autoscaling (model load, prefill proportional to prompt tokens, per-token decode,
 * continuous batching that slows each token a little as the batch grows, a KV-cache budget) so that everything around
 * it (metrics, admission control, readiness, drain, load generation) can be exercised for real.
 */
package dev.llmautoscale.examples.engine;
