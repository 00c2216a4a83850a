/**
 * Internal: the lifecycle implementation. Not API.
 */
@NullMarked
package dev.llmautoscale.internal.lifecycle;

import org.jspecify.annotations.NullMarked;
