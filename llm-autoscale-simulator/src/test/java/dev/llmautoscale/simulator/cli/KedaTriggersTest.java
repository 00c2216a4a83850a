package dev.llmautoscale.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmautoscale.testsupport.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** KEDA's trigger rules as they show in a run: scale from zero on a series only the scaled pods emit, one series. */
class KedaTriggersTest {

    @TempDir
    Path dir;

    private JsonNode run(String target, String fleetYaml, Path... files) throws IOException {
        Path w = dir.resolve("w.yaml");
        // 16 prompt and 4 output tokens: one replica completes about 40 req/s, so the multi-model scalers' 10 req/s
        // per-pod threshold is reachable (with the default 64 output tokens a replica completes about 3.6 req/s and a
        // success-rate trigger at 10 could never fire).
        Files.writeString(w, "type: constant\nrate: 30\nduration: 1200\npromptTokens: 16\noutputTokens: 4\n");
        Path fleet = dir.resolve("fleet.yaml");
        Files.writeString(fleet, fleetYaml);
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("run", "--workload", w.toString(),
                "--format", "json", "--target", target, "--fleet", fleet.toString()));
        for (Path f : files) {
            args.add("-f");
            args.add(f.toString());
        }
        CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void scaleFromZeroOnASeriesOnlyThePodsEmitNeverActivates() throws IOException {
        // The guide's llama-70b ScaledObject (deploy/ keeps one replica since lint's scale-from-zero rule).
        JsonNode s = run("llama-70b-inference", "nodePool: {gpusPerNode: 2}\n",
                SharedData.require("reference/guide-configs/keda-multi-model.yaml"),
                Path.of("../deploy/multi-model/deployments.yaml"));
        assertThat(s.at("/capacity/maxReplicas").asInt()).isZero();
        assertThat(s.at("/requests/served").asLong()).isZero();
        assertThat(s.at("/requests/unavailable503").asLong()).isEqualTo(s.at("/requests/offered").asLong());
    }

    @Test
    void aPerPodRateIsSeveralSeriesWhichKedaRefuses() throws IOException {
        // The guide's query (no sum) returns one series per pod: with 2+ pods the scaler fails and the HPA KEDA
        // created cannot read the metric, so the fleet stays where it is; deploy/ sums the rate and scales.
        String twoPods = "lifecycle: {initialReplicas: 2}\n";
        JsonNode guide = run("llama-13b-inference", twoPods, SharedData.require("reference/guide-configs/keda-multi-model.yaml"),
                Path.of("../deploy/multi-model/deployments.yaml"));
        JsonNode deploy = run("llama-13b-inference", twoPods, Path.of("../deploy/keda/multi-model.yaml"),
                Path.of("../deploy/multi-model/deployments.yaml"));
        assertThat(deploy.at("/capacity/maxReplicas").asInt()).isGreaterThan(2);
        assertThat(guide.at("/capacity/maxReplicas").asInt()).isEqualTo(2);
        assertThat(guide.at("/scaling/scaleUps").asInt()).isZero();
        assertThat(deploy.at("/scaling/scaleUps").asInt()).isPositive();
    }
}
