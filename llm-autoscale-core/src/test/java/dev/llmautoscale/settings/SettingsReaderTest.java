package dev.llmautoscale.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmautoscale.CoreKeys;
import dev.llmautoscale.admission.AdmissionKeys;
import dev.llmautoscale.admission.AdmissionLimits;
import dev.llmautoscale.gpu.GpuKeys;
import dev.llmautoscale.gpu.GpuTelemetryOptions;
import dev.llmautoscale.lifecycle.LifecycleKeys;
import dev.llmautoscale.lifecycle.LifecycleSettings;
import dev.llmautoscale.metrics.InferenceMetricsConfig;
import dev.llmautoscale.metrics.MetricsKeys;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The core's keys: read from text, one default each, every problem named by its key. */
class SettingsReaderTest {

    @Test
    void nothingSetGivesTheRecordsDefaults() {
        SettingsReader r = new SettingsReader(key -> null);
        assertThat(AdmissionKeys.read(r)).isEqualTo(AdmissionLimits.disabled());
        assertThat(MetricsKeys.read(r)).isEqualTo(InferenceMetricsConfig.defaults());
        assertThat(GpuKeys.read(r)).isEqualTo(GpuTelemetryOptions.defaults());
        assertThat(LifecycleKeys.read(r)).isEqualTo(LifecycleSettings.defaults());
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void everyKeyIsUniqueDocumentedAndItsDefaultPassesItsOwnValidation() {
        Set<String> keys = new HashSet<>();
        for (Setting<?> s : CoreKeys.ALL) {
            assertThat(keys.add(s.key())).as("duplicate key %s", s.key()).isTrue();
            assertThat(s.key()).startsWith("llm.autoscale.").matches("[a-z0-9.-]+");
            assertThat(s.description()).as("description of %s", s).isNotBlank();
            assertThat(problemOfDefault(s)).as("default of %s", s).isNull();
        }
        assertThat(keys).hasSize(CoreKeys.ALL.size()).contains("llm.autoscale.admission.max-concurrency",
                "llm.autoscale.metrics.max-models", "llm.autoscale.lifecycle.drain-timeout");
    }

    private static <T> String problemOfDefault(Setting<T> s) {
        return s.problem(s.defaultValue());
    }

    @Test
    void valuesAreReadInTheirTextForms() {
        Map<String, String> values = Map.of(
                "llm.autoscale.admission.enabled", "TRUE",
                "llm.autoscale.admission.max-concurrency", " 8 ",
                "llm.autoscale.admission.queue-capacity", "16",
                "llm.autoscale.admission.max-queue-wait", "1500ms",
                "llm.autoscale.admission.retry-after", "2",
                "llm.autoscale.admission.drain-retry-after", "PT7S",
                "llm.autoscale.admission.per-model-max-concurrency", "llama-13b=4, llama-70b = 2",
                "llm.autoscale.metrics.model-allow-list", "llama-13b, llama-70b,",
                "llm.autoscale.metrics.buckets.duration", "0.5,1,2");
        SettingsReader r = new SettingsReader(SettingsSource.of(values));
        AdmissionLimits a = AdmissionKeys.read(r);
        InferenceMetricsConfig m = MetricsKeys.read(r);
        r.throwIfInvalid();
        assertThat(a).isEqualTo(AdmissionLimits.builder().enabled(true).maxConcurrency(8).queueCapacity(16)
                .maxQueueWait(Duration.ofMillis(1500)).retryAfter(Duration.ofSeconds(2))
                .drainRetryAfter(Duration.ofSeconds(7))
                .perModelMaxConcurrency(Map.of("llama-13b", 4, "llama-70b", 2)).build());
        assertThat(m.modelAllowList()).containsExactly("llama-13b", "llama-70b");
        assertThat(m.durationBuckets()).containsExactly(0.5, 1.0, 2.0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"30s,30000", "2m,120000", "1h,3600000", "1d,86400000", "250ms,250", "45,45000", "PT1.5S,1500",
        "pt2m,120000", "0,0"})
    void durationsReadAsSpringBootReadsThem(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
        assertThat(Durations.parse(Durations.format(Duration.ofMillis(millis)))).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void everyBadValueIsReportedWithItsKeyItsVariableAndWhatIsAllowed() {
        SettingsReader r = new SettingsReader(SettingsSource.environment(Map.of(
                "LLM_AUTOSCALE_ADMISSION_MAX_CONCURRENCY", "-1",
                "LLM_AUTOSCALE_ADMISSION_QUEUE_CAPACITY", "many",
                "LLM_AUTOSCALE_ADMISSION_MAX_QUEUE_WAIT", "soon",
                "LLM_AUTOSCALE_METRICS_MODEL_ALLOW_LIST", "llama,other",
                "LLM_AUTOSCALE_LIFECYCLE_WARMUP_ATTEMPTS", "0",
                "LLM_AUTOSCALE_GPU_SAMPLING_INTERVAL", "0s")));
        AdmissionKeys.read(r);
        MetricsKeys.read(r);
        LifecycleKeys.read(r);
        GpuKeys.read(r);
        assertThatThrownBy(r::throwIfInvalid).isInstanceOf(InvalidSettingsException.class)
                .satisfies(e -> assertThat(((InvalidSettingsException) e).problems()).extracting(SettingProblem::key)
                        .containsExactly("llm.autoscale.admission.max-concurrency",
                                "llm.autoscale.admission.queue-capacity", "llm.autoscale.admission.max-queue-wait",
                                "llm.autoscale.metrics.model-allow-list", "llm.autoscale.lifecycle.warmup-attempts",
                                "llm.autoscale.gpu.sampling-interval"))
                .hasMessageContaining("llm.autoscale.admission.max-concurrency must be at least 0 (0 = unlimited), "
                        + "got -1")
                .hasMessageContaining("llm.autoscale.admission.queue-capacity expected a whole number (environment "
                        + "variable LLM_AUTOSCALE_ADMISSION_QUEUE_CAPACITY) (value 'many')")
                .hasMessageContaining("expected a duration such as 500ms, 30s, 2m, 1h or PT30S")
                .hasMessageContaining("must not hold 'other'")
                .hasMessageContaining("llm.autoscale.lifecycle.warmup-attempts must be at least 1 (1 = no retry)")
                .hasMessageContaining("llm.autoscale.gpu.sampling-interval must be positive");
    }

    @Test
    void aRuleOverSeveralKeysNamesTheKeyAtFault() {
        SettingsReader r = new SettingsReader(SettingsSource.of(Map.of("llm.autoscale.admission.enabled", "true")));
        assertThat(AdmissionKeys.read(r)).isEqualTo(AdmissionLimits.disabled());
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("llm.autoscale.admission.enabled");
            assertThat(p.message()).startsWith("llm.autoscale.admission.enabled is true but no limit is set");
        });
    }

    @Test
    void thePreDrainDelayDefaultsByPlatform() {
        LifecycleSettings d = LifecycleSettings.defaults();
        assertThat(d.preDrainDelay()).isNull();
        assertThat(d.preDrainDelayOn(Map.of())).isZero();
        assertThat(d.preDrainDelayOn(Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1", "KUBERNETES_SERVICE_PORT", "443")))
                .isEqualTo(Duration.ofSeconds(5));
        assertThat(LifecycleSettings.builder().preDrainDelay(Duration.ofSeconds(2)).build()
                .preDrainDelayOn(Map.of("KUBERNETES_SERVICE_HOST", "h", "KUBERNETES_SERVICE_PORT", "1")))
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(List.of(Setting.environmentVariable("llm.autoscale.servlet.model-header")))
                .containsExactly("LLM_AUTOSCALE_SERVLET_MODEL_HEADER");
    }
}
