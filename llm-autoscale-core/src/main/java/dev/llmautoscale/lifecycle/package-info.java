/**
 * The serving lifecycle (warm-up, readiness, drain) and its hooks.
 */
@NullMarked
package dev.llmautoscale.lifecycle;

import org.jspecify.annotations.NullMarked;
