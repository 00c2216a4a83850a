/**
 * {@code @TrackInference} on Spring beans: a bean post-processor that proxies annotated beans and an interceptor that
 * tracks each call as an inference, synchronous, {@code CompletionStage}, or Reactor {@code Mono} and {@code Flux}
 * (admission at subscription, the first element as the first token).
 */
@NullMarked
package dev.llmautoscale.spring.tracking;

import org.jspecify.annotations.NullMarked;
