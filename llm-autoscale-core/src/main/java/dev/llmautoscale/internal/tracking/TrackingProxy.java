package dev.llmautoscale.internal.tracking;

import dev.llmautoscale.tracking.InferenceTracker;
import dev.llmautoscale.tracking.TrackInference;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Applies {@link TrackInference} without Spring: wraps an object behind one of its interfaces in a JDK dynamic proxy
 * that tracks every annotated method through an {@link InferenceTracker}. Internal: reached through
 * {@link InferenceTracker#proxy(Class, Object)}.
 *
 * <p>Methods without the annotation (and {@code equals}, {@code hashCode}, {@code toString}) pass straight through.
 * Exceptions reach the caller unwrapped.
 */
public final class TrackingProxy {

    private TrackingProxy() {
    }

    /**
     * Wraps a target.
     *
     * @param type the interface to expose
     * @param target the object to call
     * @param tracker the tracker to record with
     * @param <T> the interface
     * @return the tracking proxy
     */
    public static <T> T wrap(Class<T> type, T target, InferenceTracker tracker) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(tracker, "tracker");
        if (!type.isInterface()) {
            throw new IllegalArgumentException(type.getName() + " is not an interface; a JDK proxy needs one");
        }
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                new Handler(target, tracker));
        return type.cast(proxy);
    }

    private static final class Handler implements InvocationHandler {
        private static final Optional<TrackedMethod> UNTRACKED = Optional.empty();

        private final Object target;
        private final InferenceTracker tracker;
        private final ConcurrentHashMap<Method, Optional<TrackedMethod>> methods = new ConcurrentHashMap<>();

        Handler(Object target, InferenceTracker tracker) {
            this.target = target;
            this.tracker = tracker;
        }

        @Override
        public @Nullable Object invoke(Object proxy, Method method, @Nullable Object @Nullable [] args)
                throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                switch (method.getName()) {
                    case "equals":
                        return proxy == args[0];
                    case "hashCode":
                        return System.identityHashCode(proxy);
                    case "toString":
                        return "TrackingProxy[" + target + "]";
                    default:
                        return invokeTarget(method, args);
                }
            }
            Optional<TrackedMethod> tracked = methods.get(method);
            if (tracked == null) {
                tracked = methods.computeIfAbsent(method, m -> {
                    // the interface may be package-private in the user's package
                    m.trySetAccessible();
                    Optional<TrackedMethod> t = TrackedMethod.resolve(m, target.getClass());
                    return t.isPresent() ? t : UNTRACKED;
                });
            }
            if (tracked.isEmpty()) {
                return invokeTarget(method, args);
            }
            TrackedMethod t = tracked.get();
            String model = t.model(args);
            if (t.isAsync()) {
                try {
                    return tracker.trackAsync(model, () -> (CompletionStage<?>) invokeUnchecked(method, args));
                } catch (AsyncStartException e) {
                    throw e.getCause();
                }
            }
            return tracker.call(model, () -> invokeTarget(method, args));
        }

        private @Nullable Object invokeUnchecked(Method method, @Nullable Object @Nullable [] args) {
            try {
                return invokeTarget(method, args);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new AsyncStartException(e);
            }
        }

        private @Nullable Object invokeTarget(Method method, @Nullable Object @Nullable [] args) throws Exception {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Exception) {
                    throw (Exception) cause;
                }
                if (cause instanceof Error) {
                    throw (Error) cause;
                }
                throw e;
            }
        }
    }

    /** Carries a checked exception thrown while starting an asynchronous method; unwrapped before the caller. */
    private static final class AsyncStartException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AsyncStartException(Exception cause) {
            super(cause);
        }
    }
}
