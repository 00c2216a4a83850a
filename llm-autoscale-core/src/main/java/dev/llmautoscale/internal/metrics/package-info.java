/**
 * Internal: the meters behind the metric contract and the cardinality guard. Not API.
 */
@NullMarked
package dev.llmautoscale.internal.metrics;

import org.jspecify.annotations.NullMarked;
