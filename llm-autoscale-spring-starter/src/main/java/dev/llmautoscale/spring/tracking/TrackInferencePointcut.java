package dev.llmautoscale.spring.tracking;

import dev.llmautoscale.tracking.TrackInference;
import dev.llmautoscale.internal.tracking.TrackedMethod;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.springframework.aop.ClassFilter;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;

/**
 * Matches the methods {@link TrackInference} applies to, by the core's rules ({@link TrackedMethod#resolve}): an
 * annotated method (on the class or on an interface it implements), or any public method of an annotated type.
 * {@code equals}, {@code hashCode} and {@code toString} are never tracked.
 */
final class TrackInferencePointcut extends StaticMethodMatcherPointcut {

    TrackInferencePointcut() {
        setClassFilter(new Candidates());
    }

    @Override
    public boolean matches(Method method, Class<?> targetClass) {
        if (method.getDeclaringClass() == Object.class || isObjectMethod(method) || method.isSynthetic()) {
            return false;
        }
        if (TrackedMethods.resolve(method, targetClass).isEmpty()) {
            return false;
        }
        Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
        boolean onMethod = specific.isAnnotationPresent(TrackInference.class)
                || method.isAnnotationPresent(TrackInference.class)
                || ClassUtils.getInterfaceMethodIfPossible(specific, targetClass).isAnnotationPresent(
                        TrackInference.class);
        return onMethod || Modifier.isPublic(method.getModifiers());
    }

    private static boolean isObjectMethod(Method m) {
        String name = m.getName();
        int params = m.getParameterCount();
        return (params == 0 && (name.equals("hashCode") || name.equals("toString")))
                || (params == 1 && name.equals("equals") && m.getParameterTypes()[0] == Object.class);
    }

    /** Skips classes that cannot carry the annotation (JDK types) before any method is examined. */
    private static final class Candidates implements ClassFilter {
        @Override
        public boolean matches(Class<?> clazz) {
            return AnnotationUtils.isCandidateClass(clazz, TrackInference.class);
        }
    }
}
