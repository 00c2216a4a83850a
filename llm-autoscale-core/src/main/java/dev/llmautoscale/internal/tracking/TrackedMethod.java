package dev.llmautoscale.internal.tracking;

import dev.llmautoscale.tracking.InferenceModel;
import dev.llmautoscale.tracking.TrackInference;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link TrackInference} method is tracked: its fixed model or the index of its {@link InferenceModel}
 * parameter, and whether it is asynchronous. Shared by {@link TrackingProxy} and the Spring aspect; resolve once per
 * method and cache. Internal: used by this library's own integrations.
 */
public final class TrackedMethod {

    private final String fixedModel;
    private final int modelParameter;
    private final boolean async;

    private TrackedMethod(String fixedModel, int modelParameter, boolean async) {
        this.fixedModel = fixedModel;
        this.modelParameter = modelParameter;
        this.async = async;
    }

    /**
     * Resolves the tracking of a method: the annotation on the implementation method wins over the one on the
     * declaring interface method, which wins over a type-level annotation.
     *
     * @param method the invoked method (possibly an interface method)
     * @param targetClass the class of the object the call reaches (may be {@code null})
     * @return the tracking, or empty when the method is not tracked
     */
    public static Optional<TrackedMethod> resolve(Method method, @Nullable Class<?> targetClass) {
        Objects.requireNonNull(method, "method");
        Method impl = implementation(method, targetClass);
        TrackInference annotation = impl.getAnnotation(TrackInference.class);
        if (annotation == null) {
            annotation = method.getAnnotation(TrackInference.class);
        }
        if (annotation == null && targetClass != null) {
            annotation = targetClass.getAnnotation(TrackInference.class);
        }
        if (annotation == null) {
            annotation = method.getDeclaringClass().getAnnotation(TrackInference.class);
        }
        if (annotation == null) {
            return Optional.empty();
        }
        int parameter = modelParameter(impl);
        if (parameter < 0) {
            parameter = modelParameter(method);
        }
        boolean async = CompletionStage.class.isAssignableFrom(method.getReturnType());
        return Optional.of(new TrackedMethod(annotation.model(), parameter, async));
    }

    private static Method implementation(Method method, @Nullable Class<?> targetClass) {
        if (targetClass == null || method.getDeclaringClass() == targetClass) {
            return method;
        }
        try {
            return targetClass.getMethod(method.getName(), method.getParameterTypes());
        } catch (NoSuchMethodException e) {
            return method;
        }
    }

    private static int modelParameter(Method method) {
        Annotation[][] annotations = method.getParameterAnnotations();
        for (int i = 0; i < annotations.length; i++) {
            for (Annotation a : annotations[i]) {
                if (a instanceof InferenceModel) {
                    return i;
                }
            }
        }
        return -1;
    }

    /**
     * The model name of one call: the annotation's model, else the {@link InferenceModel} argument, else
     * {@code null} (the tracker maps it to {@code default}).
     *
     * @param args the call's arguments (may be {@code null} for no arguments)
     * @return the model name
     */
    public @Nullable String model(@Nullable Object @Nullable [] args) {
        if (!fixedModel.isEmpty()) {
            return fixedModel;
        }
        if (modelParameter >= 0 && args != null && modelParameter < args.length && args[modelParameter] != null) {
            return args[modelParameter].toString();
        }
        return null;
    }

    /**
     * @return whether the method returns a {@link CompletionStage} and is tracked until it completes
     */
    public boolean isAsync() {
        return async;
    }
}
