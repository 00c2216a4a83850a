package dev.llmautoscale.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.validation.FieldError;

/** Bad values fail startup with a message that names the property and says what is wrong. */
class PropertiesValidationTest {

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "llm.autoscale.admission.max-concurrency | -1 | llm.autoscale.admission.max-concurrency must be at least 0",
        "llm.autoscale.admission.queue-capacity | -5 | llm.autoscale.admission.queue-capacity must be at least 0",
        "llm.autoscale.admission.max-queue-wait | -1s | llm.autoscale.admission.max-queue-wait must not be negative",
        "llm.autoscale.admission.per-model-max-concurrency.llama | 0 | must give model 'llama' a limit of at least 1",
        "llm.autoscale.admission.enabled | true | llm.autoscale.admission.enabled is true but no limit is set",
        "llm.autoscale.metrics.max-models | 0 | llm.autoscale.metrics.max-models must be at least 1",
        "llm.autoscale.metrics.max-model-name-length | 0 | llm.autoscale.metrics.max-model-name-length must be at least 1",
        "llm.autoscale.metrics.model-allow-list | other | must not hold 'other'",
        "llm.autoscale.metrics.buckets.duration | 1,0.5 | llm.autoscale.metrics.buckets.duration bucket boundaries must be positive, finite and strictly increasing",
        "llm.autoscale.metrics.buckets.time-to-first-token | -1 | llm.autoscale.metrics.buckets.time-to-first-token bucket boundaries must be positive",
        "llm.autoscale.lifecycle.warmup-timeout | 0s | llm.autoscale.lifecycle.warmup-timeout must be positive",
        "llm.autoscale.lifecycle.warmup-attempts | 0 | llm.autoscale.lifecycle.warmup-attempts must be at least 1",
        "llm.autoscale.lifecycle.warmup-retry-delay | -1s | llm.autoscale.lifecycle.warmup-retry-delay must not be negative",
        "llm.autoscale.lifecycle.pre-drain-delay | -2s | llm.autoscale.lifecycle.pre-drain-delay must not be negative",
        "llm.autoscale.lifecycle.drain-timeout | -1s | llm.autoscale.lifecycle.drain-timeout must not be negative",
        "llm.autoscale.gpu.sampling-interval | 0ms | llm.autoscale.gpu.sampling-interval must be positive",
    })
    void badValuesFailStartupNamingTheProperty(String property, String value, String message) {
        Runners.runner().withPropertyValues(property + "=" + value).run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            BindValidationException validation = find(failure, BindValidationException.class);
            assertThat(validation).as("startup failure %s", failure).isNotNull();
            assertThat(validation.getValidationErrors().getAllErrors())
                    .anySatisfy(e -> {
                        assertThat(e).isInstanceOf(FieldError.class);
                        assertThat(e.getDefaultMessage()).contains(message);
                    });
            assertThat(NestedExceptionUtils.getMostSpecificCause(failure).getMessage()).contains(message);
        });
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        return null;
    }
}
