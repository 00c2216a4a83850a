/**
 * Internal: the tracker, spans, queued admissions and annotation resolution. Not API.
 */
@NullMarked
package dev.llmautoscale.internal.tracking;

import org.jspecify.annotations.NullMarked;
