package dev.llmautoscale.spring.tracking;

import dev.llmautoscale.tracking.InferenceSpan;
import dev.llmautoscale.tracking.InferenceTracker;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.SignalType;

/**
 * Reactor support of {@link TrackInferenceInterceptor}; loaded only when Reactor is on the class path.
 *
 * <p>Each subscription is one inference: admission happens at subscribe time (a refusal is signalled as an error),
 * and the terminal signal ends the span. Spans of reactive inferences are ended but never closed, so a late signal
 * (an element racing a cancel) can never reach a span that the core has handed to another inference.
 */
final class ReactorTracking {

    private ReactorTracking() {
    }

    /**
     * @param returnType a method's return type
     * @return the tracking kind for Reactor types, or {@code null} for anything else
     */
    static TrackInferenceInterceptor.@Nullable Kind kind(Class<?> returnType) {
        if (Mono.class.isAssignableFrom(returnType)) {
            return TrackInferenceInterceptor.Kind.MONO;
        }
        if (Flux.class.isAssignableFrom(returnType)) {
            return TrackInferenceInterceptor.Kind.FLUX;
        }
        return null;
    }

    /**
     * Tracks each subscription of a {@code Mono} until it completes (with or without a value), fails or is cancelled;
     * its value, the whole answer, also marks the first token (as the first bytes of a non-streamed HTTP response do).
     *
     * @param tracker the tracker
     * @param model the model name
     * @param result what the method returned
     * @return the tracked {@code Mono}
     */
    static @Nullable Object mono(InferenceTracker tracker, @Nullable String model, @Nullable Object result) {
        if (result == null) {
            return null;
        }
        Mono<?> source = (Mono<?>) result;
        return Mono.defer(() -> {
            Signals signals = new Signals(tracker.start(model), false, false);
            return source.doOnEach(signals::onEach).doFinally(signals);
        });
    }

    /**
     * Tracks each subscription of a {@code Flux} until it completes, fails or is cancelled; the first element marks
     * the first token.
     *
     * @param tracker the tracker
     * @param model the model name
     * @param result what the method returned
     * @param elementsAreTokens whether each element counts as one output token
     * @return the tracked {@code Flux}
     */
    static @Nullable Object flux(InferenceTracker tracker, @Nullable String model, @Nullable Object result,
            boolean elementsAreTokens) {
        if (result == null) {
            return null;
        }
        Flux<?> source = (Flux<?>) result;
        return Flux.defer(() -> {
            Signals signals = new Signals(tracker.start(model), true, elementsAreTokens);
            return source.doOnEach(signals::onEach).doFinally(signals);
        });
    }

    /** Maps the signals of one subscription onto its span. */
    private static final class Signals implements Consumer<SignalType> {
        private final InferenceSpan span;
        private final boolean stream;
        private final boolean elementsAreTokens;

        Signals(InferenceSpan span, boolean stream, boolean elementsAreTokens) {
            this.span = span;
            this.stream = stream;
            this.elementsAreTokens = elementsAreTokens;
        }

        void onEach(reactor.core.publisher.Signal<?> signal) {
            switch (signal.getType()) {
                case ON_NEXT:
                    if (stream) {
                        if (elementsAreTokens) {
                            span.tokens(1);
                        } else {
                            span.firstToken();
                        }
                    } else {
                        span.firstToken(); // a Mono's value: the whole answer, so also its first token
                        span.success();
                    }
                    break;
                case ON_COMPLETE:
                    span.success();
                    break;
                case ON_ERROR:
                    span.failure(signal.getThrowable());
                    break;
                default:
                    break;
            }
        }

        /** Cancellation (the subscriber went away) ends the span as cancelled unless an outcome came first. */
        @Override
        public void accept(SignalType type) {
            if (type == SignalType.CANCEL) {
                span.cancel();
            } else if (!span.isEnded()) {
                span.failure(null);
            }
        }
    }
}
