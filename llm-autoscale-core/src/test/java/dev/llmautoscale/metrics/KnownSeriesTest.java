package dev.llmautoscale.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmautoscale.admission.AdmissionLimits;
import dev.llmautoscale.admission.AdmissionRejectedException;
import dev.llmautoscale.admission.RejectionReason;
import dev.llmautoscale.testing.Exposition;
import dev.llmautoscale.testing.Fixture;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Counter series whose label values are known up front exist at 0 before the first event, so that
 * {@code increase()} and {@code rate()} see that event: a series born with the value 1 has no earlier sample to
 * differ from.
 */
class KnownSeriesTest {

    private static void assertAllAtZero(Map<String, Double> samples, String family, String model) {
        for (InferenceStatus s : InferenceStatus.values()) {
            if (family.equals("llm_inference_requests_total")) {
                assertThat(samples).containsEntry(family + "{model=\"" + model + "\",status=\"" + s.label() + "\"}",
                        0.0);
            }
        }
        for (RejectionReason r : RejectionReason.values()) {
            if (family.equals("llm_requests_rejected_total")) {
                assertThat(samples).containsEntry(family + "{model=\"" + model + "\",reason=\"" + r.label() + "\"}",
                        0.0);
            }
        }
    }

    @Test
    void allowListedModelsHaveEveryStatusAndReasonAtZeroBeforeTheirFirstRequest() {
        Fixture f = new Fixture(AdmissionLimits.disabled(),
                InferenceMetricsConfig.builder().modelAllowList(Set.of("llama-13b", "llama-70b")).build());
        Exposition scrape = f.scrape();
        for (String model : Set.of("llama-13b", "llama-70b")) {
            assertAllAtZero(scrape.family("llm_inference_requests_total").samples, "llm_inference_requests_total",
                    model);
            assertAllAtZero(scrape.family("llm_requests_rejected_total").samples, "llm_requests_rejected_total",
                    model);
        }
        assertThat(scrape.family("llm_inference_requests_total").samples).hasSize(2 * 4);
        assertThat(scrape.family("llm_requests_rejected_total").samples).hasSize(2 * 3);
        assertThat(scrape.family("llm_model_label_overflow_total").samples.values()).containsExactly(0.0);

        // the first refusal moves a series that already had a sample: increase() sees 0 -> 1
        f.autoscale.lifecycle().stop();
        assertThatThrownBy(() -> f.autoscale.tracker().start("llama-70b")).isInstanceOf(
                AdmissionRejectedException.class).hasMessageContaining("draining");
        assertThat(f.scrape().family("llm_requests_rejected_total").samples)
                .containsEntry("llm_requests_rejected_total{model=\"llama-70b\",reason=\"draining\"}", 1.0);
    }

    @Test
    void modelsWithTheirOwnLimitAreKnownUpFrontToo() {
        Fixture f = new Fixture(AdmissionLimits.builder().enabled(true).maxConcurrency(4)
                .perModelMaxConcurrency(Map.of("llama-70b", 1)).build());
        Exposition scrape = f.scrape();
        assertAllAtZero(scrape.family("llm_inference_requests_total").samples, "llm_inference_requests_total",
                "llama-70b");
        assertAllAtZero(scrape.family("llm_requests_rejected_total").samples, "llm_requests_rejected_total",
                "llama-70b");
        assertThat(scrape.family("llm_inference_requests_total").samples).as("nothing else invented").hasSize(4);
        assertThat(f.overflow()).isZero();
    }

    @Test
    void aDeclaredModelOutsideTheAllowListIsNotInvented() {
        Fixture f = new Fixture(AdmissionLimits.builder().enabled(true).maxConcurrency(4)
                .perModelMaxConcurrency(Map.of("not-allowed", 1)).build(),
                InferenceMetricsConfig.builder().modelAllowList(Set.of("llama-13b")).build());
        assertThat(f.scrape().family("llm_inference_requests_total").samples.keySet())
                .allMatch(k -> k.contains("model=\"llama-13b\""));
        assertThat(f.overflow()).as("declaring is not a request").isZero();
    }
}
