/**
 * llm-autoscale: autoscaling signals and a safe lifecycle for Java LLM inference servers. Start at
 * {@link dev.llmautoscale.LlmAutoscale}.
 *
 * <p>The public API is this package and {@code admission}, {@code gpu}, {@code lifecycle}, {@code metrics},
 * {@code tracking}. Packages under {@code dev.llmautoscale.internal} are the library's wiring, shared with its own
 * modules (servlet, Spring); they are not API and change without notice. Every package is null-marked: nothing is
 * {@code null} unless annotated {@code @Nullable}.
 */
@NullMarked
package dev.llmautoscale;

import org.jspecify.annotations.NullMarked;
