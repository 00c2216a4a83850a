package dev.llmautoscale.spring.tracking;

import dev.llmautoscale.tracking.InferenceSpan;
import dev.llmautoscale.tracking.InferenceTracker;
import dev.llmautoscale.internal.tracking.TrackedMethod;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.util.ClassUtils;

/**
 * Tracks calls of {@link dev.llmautoscale.tracking.TrackInference} methods as inferences.
 *
 * <ul>
 *   <li>A plain method: from the call until it returns ({@code success}) or throws ({@code error}; {@code cancelled}
 *   for a {@link CancellationException} or an {@link InterruptedException}).</li>
 *   <li>A method returning a {@link CompletionStage}: until the stage completes (through
 *   {@link InferenceTracker#trackAsync}).</li>
 *   <li>A method returning a Reactor {@code Mono} or {@code Flux}: per subscription, from subscribe until the terminal
 *   signal: completion is {@code success}, an error is {@code error}, a cancel is {@code cancelled}. The first element
 *   is the first token; each element of a {@code Flux} may count as one output token.</li>
 * </ul>
 *
 * <p>Admission happens when the inference starts (the call, or the subscription); a refusal is thrown to the caller
 * (or signalled as an error) as the core's {@code AdmissionRejectedException}.
 */
final class TrackInferenceInterceptor implements MethodInterceptor {

    private static final boolean REACTOR_PRESENT = ClassUtils.isPresent("reactor.core.publisher.Flux",
            TrackInferenceInterceptor.class.getClassLoader());
    private static final Tracked UNTRACKED = new Tracked(null, Kind.NONE);

    private final Supplier<InferenceTracker> trackerSource;
    private final boolean streamElementsAreTokens;
    private final ConcurrentHashMap<Class<?>, ConcurrentHashMap<Method, Tracked>> cache = new ConcurrentHashMap<>();
    private volatile @Nullable InferenceTracker tracker;

    /**
     * @param tracker where the tracker comes from, resolved on the first tracked call (post-processors are created
     *     before the meter registry)
     * @param streamElementsAreTokens whether each element of a {@code Flux} counts as one output token
     */
    TrackInferenceInterceptor(Supplier<InferenceTracker> tracker, boolean streamElementsAreTokens) {
        this.trackerSource = tracker;
        this.streamElementsAreTokens = streamElementsAreTokens;
    }

    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        Method method = invocation.getMethod();
        Object target = invocation.getThis();
        Class<?> targetClass = target != null ? AopProxyUtils.ultimateTargetClass(target) : method.getDeclaringClass();
        Tracked tracked = tracked(method, targetClass);
        if (tracked.kind == Kind.NONE) {
            return invocation.proceed();
        }
        InferenceTracker t = tracker();
        String model = tracked.method.model(invocation.getArguments());
        switch (tracked.kind) {
            case STAGE:
                return trackStage(t, model, invocation);
            case MONO:
                return ReactorTracking.mono(t, model, invocation.proceed());
            case FLUX:
                return ReactorTracking.flux(t, model, invocation.proceed(), streamElementsAreTokens);
            default:
                return trackCall(t, model, invocation);
        }
    }

    private static @Nullable Object trackCall(InferenceTracker t, @Nullable String model, MethodInvocation invocation)
            throws Throwable {
        InferenceSpan span = t.start(model);
        try {
            Object result = invocation.proceed();
            span.success();
            return result;
        } catch (Throwable e) {
            span.failure(e);
            throw e;
        } finally {
            span.close();
        }
    }

    private static Object trackStage(InferenceTracker t, @Nullable String model, MethodInvocation invocation)
            throws Throwable {
        try {
            return t.trackAsync(model, () -> {
                try {
                    return (CompletionStage<?>) invocation.proceed();
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Throwable e) {
                    throw new CheckedStartFailure(e);
                }
            });
        } catch (CheckedStartFailure e) {
            throw e.getCause();
        }
    }

    private InferenceTracker tracker() {
        InferenceTracker t = tracker;
        if (t == null) {
            t = trackerSource.get();
            tracker = t;
        }
        return t;
    }

    private Tracked tracked(Method method, Class<?> targetClass) {
        ConcurrentHashMap<Method, Tracked> methods = cache.get(targetClass);
        if (methods == null) {
            methods = cache.computeIfAbsent(targetClass, c -> new ConcurrentHashMap<>());
        }
        Tracked tracked = methods.get(method);
        if (tracked == null) {
            tracked = methods.computeIfAbsent(method, m -> resolve(m, targetClass));
        }
        return tracked;
    }

    private static Tracked resolve(Method method, Class<?> targetClass) {
        Optional<TrackedMethod> resolved = TrackedMethods.resolve(method, targetClass);
        if (resolved.isEmpty()) {
            return UNTRACKED;
        }
        TrackedMethod m = resolved.get();
        Class<?> returns = method.getReturnType();
        if (m.isAsync()) {
            return new Tracked(m, Kind.STAGE);
        }
        if (REACTOR_PRESENT) {
            Kind reactive = ReactorTracking.kind(returns);
            if (reactive != null) {
                return new Tracked(m, reactive);
            }
        }
        return new Tracked(m, Kind.SYNC);
    }

    /** How a method's calls are tracked. */
    enum Kind {
        NONE, SYNC, STAGE, MONO, FLUX
    }

    private record Tracked(@Nullable TrackedMethod method, Kind kind) {
    }

    /** Carries a checked exception thrown while starting an asynchronous method; unwrapped before the caller. */
    private static final class CheckedStartFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CheckedStartFailure(Throwable cause) {
            super(cause);
        }
    }
}
