package dev.llmautoscale.spring.lifecycle;

import dev.llmautoscale.lifecycle.WarmupHook;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A warm-up step declared as a bean, with its own name and timeout. Any {@link WarmupHook} bean is a warm-up step
 * (named after its bean, with {@code llm.autoscale.lifecycle.warmup-timeout}); declare an {@code InferenceWarmup}
 * to choose the name shown in readiness reasons and {@code llm_warmup_duration_seconds{hook}}, or a timeout of its
 * own. Steps run in bean order ({@link org.springframework.core.annotation.Order @Order} on the bean method or class).
 *
 * <pre>{@code
 * @Bean
 * @Order(1)
 * InferenceWarmup loadModel(Engine engine) {
 *     return InferenceWarmup.of("load-model", Duration.ofMinutes(5), engine::load);
 * }
 * }</pre>
 *
 * @param name the step's name
 * @param timeout how long the step may take, or {@code null} for {@code llm.autoscale.lifecycle.warmup-timeout}
 * @param hook the step
 */
public record InferenceWarmup(String name, @Nullable Duration timeout, WarmupHook hook) implements WarmupHook {

    /**
     * Validates the arguments.
     *
     * @param name the step's name
     * @param timeout how long the step may take, or {@code null} for {@code llm.autoscale.lifecycle.warmup-timeout}
     * @param hook the step
     */
    public InferenceWarmup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(hook, "hook");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a warm-up step needs a name");
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("warm-up step '" + name + "' needs a positive timeout, got " + timeout);
        }
    }

    /**
     * A step with its own timeout.
     *
     * @param name the step's name
     * @param timeout how long it may take
     * @param hook the step
     * @return the step
     */
    public static InferenceWarmup of(String name, Duration timeout, WarmupHook hook) {
        return new InferenceWarmup(name, Objects.requireNonNull(timeout, "timeout"), hook);
    }

    /**
     * A step with the default timeout.
     *
     * @param name the step's name
     * @param hook the step
     * @return the step
     */
    public static InferenceWarmup of(String name, WarmupHook hook) {
        return new InferenceWarmup(name, null, hook);
    }

    @Override
    public void warmUp() throws Exception {
        hook.warmUp();
    }
}
