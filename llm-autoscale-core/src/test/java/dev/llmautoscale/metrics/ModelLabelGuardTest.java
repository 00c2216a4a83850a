package dev.llmautoscale.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmautoscale.admission.AdmissionLimits;
import dev.llmautoscale.testing.Exposition;
import dev.llmautoscale.testing.Fixture;
import dev.llmautoscale.tracking.InferenceTracker;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Bounded cardinality of the model label: nothing a client sends can create unbounded series. */
class ModelLabelGuardTest {

    @Test
    void firstNDistinctNamesKeepTheirLabelTheRestBecomeOther() {
        Fixture f = new Fixture(AdmissionLimits.disabled(), InferenceMetricsConfig.builder().maxModels(3).build());
        InferenceTracker tracker = f.autoscale.tracker();
        for (String m : new String[] {"a", "b", "c", "d", "e", "a"}) {
            tracker.run(m, () -> { });
        }
        assertThat(f.count("a", InferenceStatus.SUCCESS)).isEqualTo(2);
        assertThat(f.count("c", InferenceStatus.SUCCESS)).isEqualTo(1);
        assertThat(f.count("other", InferenceStatus.SUCCESS)).isEqualTo(2);
        assertThat(f.overflow()).isEqualTo(2);
        assertThat(f.registry.find(MetricNames.REQUESTS).tag("model", "d").counter()).isNull();
    }

    @Test
    void tenThousandHostileNamesGiveAtMostTheBoundedSeries() throws Exception {
        Fixture f = new Fixture();
        InferenceTracker tracker = f.autoscale.tracker();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 10_000; i++) {
            String name = "model-" + i;
            pool.execute(() -> tracker.run(name, () -> { }));
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        Exposition scrape = f.scrape();
        Set<String> labels = new java.util.TreeSet<>();
        scrape.family("llm_inference_requests_total").samples.keySet().forEach(k -> labels.add(
                k.replaceAll(".*model=\"([^\"]*)\".*", "$1")));
        // docs/METRICS.md: "the first `maxModels` (default 32) distinct names", then other
        assertThat(labels).hasSize(32 + 1).contains("other");
        long total = 0;
        for (LoadSnapshot.ModelLoad m : f.autoscale.load().models()) {
            total += f.count(m.model(), InferenceStatus.SUCCESS);
        }
        assertThat(total).isEqualTo(10_000);
        assertThat(f.overflow()).isEqualTo(10_000 - 32);
    }

    @Test
    void allowListOnlyAndSeriesExistFromTheStart() {
        Fixture f = new Fixture(AdmissionLimits.disabled(),
                InferenceMetricsConfig.builder().modelAllowList(Set.of("llama-13b", "llama-70b")).build());
        assertThat(f.registry.find(MetricNames.REQUESTS).tag("model", "llama-70b").counters()).isNotEmpty();
        f.autoscale.tracker().run("llama-13b", () -> { });
        f.autoscale.tracker().run("gpt-hostile", () -> { });
        assertThat(f.count("llama-13b", InferenceStatus.SUCCESS)).isEqualTo(1);
        assertThat(f.count("other", InferenceStatus.SUCCESS)).isEqualTo(1);
    }

    @Test
    void tooLongOrControlCharacterNamesAreOther() {
        Fixture f = new Fixture(AdmissionLimits.disabled(),
                InferenceMetricsConfig.builder().maxModelNameLength(16).build());
        f.autoscale.tracker().run("x".repeat(17), () -> { });
        f.autoscale.tracker().run("bad\nname", () -> { });
        f.autoscale.tracker().run("other", () -> { });
        assertThat(f.count("other", InferenceStatus.SUCCESS)).isEqualTo(3);
        assertThat(f.autoscale.load().models()).extracting(LoadSnapshot.ModelLoad::model).containsExactly("other");
    }

    @Test
    void otherCannotBeAllowListed() {
        assertThatThrownBy(() -> InferenceMetricsConfig.builder().modelAllowList(Set.of("other")).build())
                .hasMessageContaining("llm.autoscale.metrics.model-allow-list must not hold 'other': it is reserved");
        assertThatThrownBy(() -> InferenceMetricsConfig.builder().modelAllowList(Set.of(" ")).build())
                .hasMessageContaining("llm.autoscale.metrics.model-allow-list must not hold blank entries");
    }
}
