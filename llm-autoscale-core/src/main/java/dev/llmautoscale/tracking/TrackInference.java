package dev.llmautoscale.tracking;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Tracks every call of the annotated method (or of every public method of the annotated type) as one inference: the
 * guide's counters, duration histogram and active-requests gauge, plus admission control when enabled.
 *
 * <p>The outcome is {@code success} when the method returns and {@code error} when it throws; a method returning a
 * {@link java.util.concurrent.CompletionStage} is tracked until the stage completes, and a cancelled stage counts as
 * {@code cancelled}. The model label comes from {@link #model()}, or from the parameter annotated with
 * {@link InferenceModel}, or is {@code default}.
 *
 * <p>Applied by {@link InferenceTracker#proxy(Class, Object)} in plain Java and by the Spring aspect of {@code llm-autoscale-spring-starter}.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface TrackInference {

    /**
     * The model label; empty to take it from an {@link InferenceModel} parameter.
     *
     * @return the model name
     */
    String model() default "";
}
