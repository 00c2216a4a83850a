/**
 * Internal: admission control (per-model FIFO lanes, the lock-free fast path, the queue). Not API.
 */
@NullMarked
package dev.llmautoscale.internal.admission;

import org.jspecify.annotations.NullMarked;
