/**
 * Per-request tracking: {@link dev.llmautoscale.tracking.InferenceTracker},
 * {@link dev.llmautoscale.tracking.InferenceSpan} and the annotations.
 */
@NullMarked
package dev.llmautoscale.tracking;

import org.jspecify.annotations.NullMarked;
