/**
 * The starter's auto-configuration: the {@code llm.autoscale.*} configuration properties
 * ({@link dev.llmautoscale.spring.autoconfigure.LlmAutoscaleProperties}) bound onto the core's settings, the
 * {@code LlmAutoscale} instance on the application's meter registry, the servlet filter and endpoints when the servlet
 * module is present, Actuator contributions when Actuator is, and a failure analyzer that names each invalid key.
 */
@NullMarked
package dev.llmautoscale.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
