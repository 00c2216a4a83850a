/**
 * Internal: discovery of GPU telemetry providers. Not API.
 */
@NullMarked
package dev.llmautoscale.internal.gpu;

import org.jspecify.annotations.NullMarked;
