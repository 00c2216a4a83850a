/**
 * What the starter adds to Spring Boot Actuator: the {@code llmAutoscale} and {@code gpu} health indicators (the
 * lifecycle state, load and GPU health as health details) and the {@code inference} endpoint, a read-only view of
 * the lifecycle, admission limits and per-model figures.
 */
@NullMarked
package dev.llmautoscale.spring.actuate;

import org.jspecify.annotations.NullMarked;
