/**
 * The inference lifecycle joined to Spring Boot's: warm-up steps
 * ({@link dev.llmautoscale.spring.lifecycle.InferenceWarmup}) run after start before the server turns ready, Spring
 * Boot's readiness state follows the lifecycle's, and a drain (on shutdown, or when the drain trigger file appears)
 * runs before the web server's graceful shutdown.
 */
@NullMarked
package dev.llmautoscale.spring.lifecycle;

import org.jspecify.annotations.NullMarked;
