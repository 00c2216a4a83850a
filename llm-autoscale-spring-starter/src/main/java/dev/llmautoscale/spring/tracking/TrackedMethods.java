package dev.llmautoscale.spring.tracking;

import dev.llmautoscale.internal.tracking.TrackedMethod;
import java.lang.reflect.Method;
import java.util.Optional;
import org.springframework.util.ClassUtils;

/**
 * Resolves a Spring AOP invocation's method with the core's rules ({@link TrackedMethod#resolve}). A class-based
 * (CGLIB) proxy reports the implementation method, while the core looks for the annotation of an interface through the
 * interface method, so the interface method the class method implements is resolved instead when there is one; the
 * precedence stays the core's: implementation method, then interface method, then type.
 */
final class TrackedMethods {

    private TrackedMethods() {
    }

    static Optional<TrackedMethod> resolve(Method method, Class<?> targetClass) {
        Method declared = ClassUtils.getInterfaceMethodIfPossible(method, targetClass);
        return TrackedMethod.resolve(declared, targetClass);
    }
}
