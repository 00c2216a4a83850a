package dev.llmautoscale.tracking;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the parameter of a {@link TrackInference} method that names the model; its {@code toString()} becomes the
 * model label (through the cardinality guard, so callers cannot explode the series count).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface InferenceModel {
}
