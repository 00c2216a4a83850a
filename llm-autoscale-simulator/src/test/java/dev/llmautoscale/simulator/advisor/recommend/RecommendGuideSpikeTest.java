package dev.llmautoscale.simulator.advisor.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.simulator.advisor.lint.Linter;
import dev.llmautoscale.simulator.config.ConfigNode;
import dev.llmautoscale.simulator.config.FleetConfig;
import dev.llmautoscale.simulator.config.FleetFile;
import dev.llmautoscale.simulator.config.Manifests;
import dev.llmautoscale.simulator.report.Charts;
import dev.llmautoscale.simulator.sim.RunOptions;
import dev.llmautoscale.simulator.sim.Summary;
import dev.llmautoscale.simulator.workload.WorkloadFile;
import dev.llmautoscale.testsupport.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented example of docs/SIMULATOR.md: starting from the guide's HPA (with deploy/'s Deployment), on the
 * guide's spike with the example server's capacity, with the SLO "p95 queue wait and p95 TTFT no worse than the
 * guide's, at most 6% refused, nothing lost", recommend finds a lint-clean config that needs at least 30% fewer
 * GPU-hours. Writes
 * the chart of both runs to docs/images/simulator-recommend.png.
 */
class RecommendGuideSpikeTest {

    private static final Path SPIKE = Path.of("examples", "guide-spike.yaml");
    private static final Path DEPLOYMENT = Path.of("..", "deploy", "base", "deployment.yaml");
    static final int BUDGET = 1000;

    @TempDir
    Path dir;

    static Recommendation recommend(Slo slo, int budget) {
        List<Path> files = List.of(SharedData.require("reference/guide-configs/hpa.yaml"), DEPLOYMENT);
        Manifests m = Manifests.load(files, null);
        FleetConfig fleet = FleetFile.parse(new ConfigNode(null, "(defaults)", ""), m.deployment());
        RunOptions options = RunOptions.defaults();
        Recommender r = new Recommender(m, fleet, "(defaults)", null,
                () -> WorkloadFile.parse(Manifests.readSingle(SPIKE), SPIKE.toAbsolutePath().getParent(),
                        options.seed()), options, slo);
        return r.search(budget, line -> { });
    }

    @Test
    void theRecommendedConfigIsCheaperThanTheGuidesHpaAtAnEqualOrBetterSlo() throws IOException {
        Summary guide = recommend(new Slo(Double.NaN, Double.NaN, 1), 2).start().summary();
        Slo slo = new Slo(guide.ttftMs().p95(), guide.queueWaitMs().p95(), 0.06);
        Recommendation rec = recommend(slo, BUDGET);
        Summary start = rec.start().summary();
        Summary best = rec.best().summary();
        assertThat(start).isEqualTo(guide);
        assertThat(rec.runs()).isEqualTo(BUDGET);
        assertThat(rec.startMisses()).isEmpty();
        assertThat(rec.bestMisses()).isEmpty();
        assertThat(best.queueWaitMs().p95()).isLessThanOrEqualTo(start.queueWaitMs().p95());
        assertThat(best.ttftMs().p95()).isLessThanOrEqualTo(start.ttftMs().p95());
        assertThat(best.lost()).isZero();
        assertThat(best.rejected() + best.unavailable()).isLessThanOrEqualTo(start.rejected() + start.unavailable());
        // The claim of docs/SIMULATOR.md: at least 30% fewer (billed) GPU-hours than the guide's HPA.
        assertThat(best.nodeGpuHours()).isLessThanOrEqualTo(0.70 * start.nodeGpuHours());

        // Ready to apply, and lint-clean with the Deployment.
        Path yaml = Files.writeString(dir.resolve("recommended.yaml"), rec.yaml());
        assertThat(rec.yaml()).startsWith("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n");
        assertThat(Linter.lint(List.of(yaml, DEPLOYMENT), null, new ConfigNode(null, "(defaults)", ""), null))
                .isEmpty();

        // Same inputs, same seed: the same recommendation.
        Recommendation again = recommend(slo, BUDGET);
        assertThat(again.yaml()).isEqualTo(rec.yaml());
        assertThat(again.best().summary()).isEqualTo(best);

        Path images = Path.of("..", "docs", "images");
        Files.createDirectories(images);
        Files.write(images.resolve("simulator-recommend.png"), Charts.png(new ArrayList<>(List.of(rec.start(),
                rec.best())), "guide's HPA (start) vs recommended, guide's spike"));
        System.out.println(dev.llmautoscale.simulator.report.Reports.table(List.of(rec.start(), rec.best())));
        System.out.println(rec.yaml());
    }
}
