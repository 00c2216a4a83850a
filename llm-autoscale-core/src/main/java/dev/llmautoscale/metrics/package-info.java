/**
 * The metric contract: names, statuses, bucket defaults, settings, and the
 * {@link dev.llmautoscale.metrics.LoadSnapshot} of the server's load.
 */
@NullMarked
package dev.llmautoscale.metrics;

import org.jspecify.annotations.NullMarked;
