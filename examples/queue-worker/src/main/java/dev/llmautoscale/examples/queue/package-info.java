/**
 * The example queue worker: inference jobs taken from a Redis list (the guide's {@code inference_queue}, which its
 * KEDA {@code redis} trigger scales on), run on the simulated engine through the library's tracker, results stored in
 * Redis. See {@link dev.llmautoscale.examples.queue.QueueWorker} for the guarantees and
 * {@link dev.llmautoscale.examples.queue.Job} for the job format.
 */
package dev.llmautoscale.examples.queue;
