package dev.llmautoscale.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.CoreKeys;
import dev.llmautoscale.admission.AdmissionKeys;
import dev.llmautoscale.gpu.GpuKeys;
import dev.llmautoscale.lifecycle.LifecycleKeys;
import dev.llmautoscale.metrics.MetricsKeys;
import dev.llmautoscale.servlet.ServletKeys;
import dev.llmautoscale.servlet.ServletSettings;
import dev.llmautoscale.settings.InvalidSettingsException;
import dev.llmautoscale.settings.Setting;
import dev.llmautoscale.settings.SettingProblem;
import dev.llmautoscale.settings.SettingsReader;
import dev.llmautoscale.settings.SettingsSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.validation.FieldError;

/**
 * One key vocabulary: every key the servlet module reads and the Spring Boot starter binds means the same thing.
 * For the defaults, and for each key set alone to a value other than its default (and, for keys that an empty value
 * switches off, to empty), the servlet module's reading ({@link SettingsReader} over the text) and Spring Boot's
 * binding of {@link LlmAutoscaleProperties} give equal settings records, or fail naming the same keys.
 */
class KeyVocabularyTest {

    private final ApplicationContextRunner spring = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(LlmAutoscaleAutoConfiguration.class))
            .withUserConfiguration(BindEvenWhenDisabled.class);

    /** Binds the properties even with {@code llm.autoscale.enabled=false}, when the starter backs off. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    @org.springframework.boot.context.properties.EnableConfigurationProperties(LlmAutoscaleProperties.class)
    static class BindEvenWhenDisabled {
    }

    /** Every key read by both, with a value other than its default. */
    static Stream<Arguments> sharedKeys() {
        List<Arguments> out = new ArrayList<>();
        for (Setting<?> s : KeyCatalogue.all()) {
            if (s.scope() != Setting.Scope.ALL) {
                continue;
            }
            out.add(Arguments.of(s.key(), otherValue(s)));
            if (s.emptyMeansOff()) {
                out.add(Arguments.of(s.key(), ""));
            }
        }
        return out.stream();
    }

    /** A valid value that differs from the default, in the text form an operator would write. */
    static String otherValue(Setting<?> s) {
        Object d = s.defaultValue();
        String key = s.key();
        return switch (s.type()) {
            case "boolean" -> Boolean.toString(!(Boolean) d);
            case "integer" -> key.endsWith("overload-status") ? "503" : key.endsWith("body-peek-bytes") ? "512"
                    : Integer.toString((Integer) d + 3);
            case "duration" -> "7"; // a bare number: seconds in both
            case "list" -> key.endsWith(".paths") ? "/v2/{model}/infer, /api/**" : "llama-13b, llama-70b";
            case "list of seconds" -> "0.25,1,4";
            case "map" -> "llama-13b=4,llama-70b=2";
            case "string" -> key.endsWith("model-header") ? "X-Served-Model" : key.endsWith("token") ? "s3cret"
                    : key.endsWith("default-model") ? "llama-13b" : "/alt" + key.substring(key.lastIndexOf('.') + 1);
            default -> throw new IllegalStateException("no sample value for " + s);
        };
    }

    @Test
    void everySharedKeyIsSampled() {
        List<String> sampled = sharedKeys().map(a -> (String) a.get()[0]).distinct().toList();
        assertThat(sampled).hasSize((int) KeyCatalogue.all().stream().filter(s -> s.scope() == Setting.Scope.ALL)
                .count()).contains(AdmissionKeys.MAX_CONCURRENCY.key(), MetricsKeys.MAX_MODELS.key(),
                LifecycleKeys.DRAIN_TIMEOUT.key(), ServletKeys.PATHS.key(), GpuKeys.SAMPLING_INTERVAL.key());
    }

    @Test
    void theDefaultsAreTheSame() {
        assertThat(spring(Map.of())).isEqualTo(servlet(Map.of()));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("sharedKeys")
    void eachKeyMeansTheSameInBoth(String key, String value) {
        Map<String, String> one = Map.of(key, value);
        Outcome servlet = servlet(one);
        Outcome bound = spring(one);
        assertThat(bound).as("Spring binding vs servlet reading of %s=%s", key, value).isEqualTo(servlet);
        if (servlet.problems().isEmpty()) {
            assertThat(servlet).as("%s=%s changes something", key, value).isNotEqualTo(servlet(Map.of()));
        }
    }

    @Test
    void environmentVariablesUseTheSameRelaxedForm() {
        Map<String, String> env = Map.of("LLM_AUTOSCALE_ADMISSION_MAX_CONCURRENCY", "12",
                "LLM_AUTOSCALE_SERVLET_DEFAULT_MODEL", "llama-13b", "LLM_AUTOSCALE_LIFECYCLE_DRAIN_TIMEOUT", "45s");
        Outcome servlet = Outcome.of(SettingsSource.environment(env));
        Outcome bound = new SpringSettingsProbe(spring).withEnvironment(env);
        assertThat(bound).isEqualTo(servlet);
        assertThat(servlet.records()).anySatisfy(r -> assertThat(r).hasToString(
                dev.llmautoscale.admission.AdmissionLimits.builder().maxConcurrency(12).build().toString()));
    }

    @Test
    void aRuleOverSeveralKeysFailsTheSameWay() {
        Map<String, String> bad = Map.of(AdmissionKeys.ENABLED.key(), "true", ServletKeys.OVERLOAD_STATUS.key(),
                "500");
        Outcome servlet = servlet(bad);
        assertThat(servlet.problems()).containsExactly(AdmissionKeys.ENABLED.key(), ServletKeys.OVERLOAD_STATUS.key());
        assertThat(spring(bad)).isEqualTo(servlet);
    }

    private static Outcome servlet(Map<String, String> values) {
        return Outcome.of(SettingsSource.of(values));
    }

    private Outcome spring(Map<String, String> values) {
        return new SpringSettingsProbe(spring).with(values);
    }

    /** What a set of keys configures, as the settings records (compared by value), or the keys it fails on. */
    record Outcome(List<String> problems, List<Object> records) {

        static Outcome of(SettingsSource source) {
            SettingsReader r = new SettingsReader(source);
            List<Object> records = List.of(r.get(CoreKeys.ENABLED), r.get(GpuKeys.AFFECTS_READINESS),
                    MetricsKeys.read(r), GpuKeys.read(r), AdmissionKeys.read(r), ServletSettings.read(r));
            return r.problems().isEmpty() ? new Outcome(List.of(), records) : failed(r.problems());
        }

        static Outcome failed(List<SettingProblem> problems) {
            return new Outcome(new ArrayList<>(new TreeSet<>(problems.stream().map(SettingProblem::key).toList())),
                    List.of());
        }
    }

    /** Binds the keys in a Spring Boot application context and reads the same records back. */
    static final class SpringSettingsProbe {
        private final ApplicationContextRunner runner;

        SpringSettingsProbe(ApplicationContextRunner runner) {
            this.runner = runner;
        }

        Outcome with(Map<String, String> values) {
            List<String> pairs = values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
            return run(runner.withPropertyValues(pairs.toArray(String[]::new)));
        }

        Outcome withEnvironment(Map<String, String> env) {
            // named like the process environment, so that Spring Boot applies its relaxed rules to it
            return run(runner.withInitializer(ctx -> ctx.getEnvironment().getPropertySources().addFirst(
                    new SystemEnvironmentPropertySource("test-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                            Map.copyOf(env)))));
        }

        private static Outcome run(ApplicationContextRunner r) {
            Outcome[] out = new Outcome[1];
            r.run(context -> {
                if (context.getStartupFailure() != null) {
                    out[0] = failure(context.getStartupFailure());
                    return;
                }
                LlmAutoscaleProperties p = context.getBean(LlmAutoscaleProperties.class);
                out[0] = new Outcome(List.of(), List.of(p.isEnabled(), p.getGpu().isAffectsReadiness(),
                        p.toMetricsConfig(), p.toGpuOptions(), p.toAdmissionLimits(),
                        ServletSettingsMapping.settings(p)));
            });
            return out[0];
        }

        private static Outcome failure(Throwable t) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                if (c instanceof BindValidationException b) {
                    List<String> keys = new ArrayList<>();
                    b.getValidationErrors().getAllErrors().forEach(e -> keys.add(LlmAutoscaleProperties.PREFIX + "."
                            + DataObjectPropertyName.toDashedForm(((FieldError) e).getField())));
                    return new Outcome(new ArrayList<>(new TreeSet<>(keys)), List.of());
                }
                if (c instanceof InvalidSettingsException e) {
                    return Outcome.failed(e.problems());
                }
            }
            throw new AssertionError("unexpected startup failure", t);
        }
    }
}
