/**
 * Internal: the wiring behind {@link dev.llmautoscale.LlmAutoscale}. Not API: used by this library's own modules
 * only, changed without notice. Depends on the public packages, never the other way round (except the facade).
 */
@NullMarked
package dev.llmautoscale.internal;

import org.jspecify.annotations.NullMarked;
