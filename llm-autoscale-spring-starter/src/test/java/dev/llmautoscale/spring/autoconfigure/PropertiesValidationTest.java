package dev.llmautoscale.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llmautoscale.admission.AdmissionLimits;
import dev.llmautoscale.settings.InvalidSettingsException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.Ordered;
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

    @Test
    void theFailureReportNamesEachPropertyItsValueAndWhereItCameFrom() throws Exception {
        Runners.runner().withPropertyValues("llm.autoscale.admission.max-concurrency=-1",
                "llm.autoscale.servlet.overload-status=500").run(context -> {
                    assertThat(context).hasFailed();
                    FailureAnalysis analysis = new LlmAutoscaleSettingsFailureAnalyzer()
                            .analyze(context.getStartupFailure());
                    assertThat(analysis).isNotNull();
                    assertThat(analysis.getDescription()).startsWith("Invalid llm-autoscale settings:")
                            .contains("llm.autoscale.admission.max-concurrency = -1 (from ")
                            .contains("llm.autoscale.admission.max-concurrency must be at least 0 (0 = unlimited), "
                                    + "got -1")
                            .contains("llm.autoscale.servlet.overload-status = 500 (from ")
                            .contains("must be 429 or 503, got 500");
                    assertThat(analysis.getAction()).contains("docs/CONFIGURATION.md");
                });
        // a settings record built by application code with a bad value
        FailureAnalysis own = new LlmAutoscaleSettingsFailureAnalyzer().analyze(new IllegalStateException("bean",
                assertThrows(InvalidSettingsException.class,
                        () -> AdmissionLimits.builder().queueCapacity(-3).build())));
        assertThat(own.getDescription()).contains("llm.autoscale.admission.queue-capacity = -3",
                "llm.autoscale.admission.queue-capacity must be at least 0, got -3");
        assertThat(new LlmAutoscaleSettingsFailureAnalyzer().analyze(new IllegalStateException("other"))).isNull();
        // Spring Boot finds it (spring.factories), and asks it before its own analyzers
        List<String> factories = new ArrayList<>();
        for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/spring.factories"))) {
            try (InputStream in = url.openStream()) {
                factories.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertThat(factories).anySatisfy(f -> assertThat(f).contains(FailureAnalyzer.class.getName() + "=\\\n"
                + LlmAutoscaleSettingsFailureAnalyzer.class.getName()));
        assertThat(new LlmAutoscaleSettingsFailureAnalyzer().getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE);
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
