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

/**
 * The guide's HPA and the guide's KEDA ScaledObject (with the guide's Deployment), run on the docs' spike with the
 * example server's capacity: each produces the summary, CSV, PNG and HTML report, and the PNGs are the charts of
 * docs/SIMULATOR.md (written to docs/images by this test). Then the same spike through the manifests of deploy/.
 */
class GuideConfigsTest {

    private static final Path SPIKE = Path.of("examples", "guide-spike.yaml");
    private static final Path IMAGES = Path.of("..", "docs", "images");
    private static final Path DEPLOY = Path.of("..", "deploy");

    @TempDir
    Path out;

    private JsonNode run(String name, Path... files) throws IOException {
        Files.createDirectories(IMAGES);
        Path png = IMAGES.resolve("simulator-" + name + ".png");
        Path html = out.resolve(name + ".html");
        Path csv = out.resolve(name + ".csv");
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("run", "--workload",
                SPIKE.toString(), "--format", "json", "--png", png.toString(), "--html", html.toString(), "--csv",
                csv.toString()));
        for (Path f : files) {
            args.add("-f");
            args.add(f.toString());
        }
        CliRunner.Result r = CliRunner.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode summary = new ObjectMapper().readTree(r.out());
        assertThat(Files.size(png)).isGreaterThan(20_000);
        String page = Files.readString(html);
        assertThat(page).contains("<img alt=\"offered load, replicas and queue depth over time\" src=\"data:image/png;"
                + "base64,").contains("lost in scale-down").contains("GPU-hours");
        assertThat(Files.readAllLines(csv)).hasSize(3601).first().asString().startsWith("t,offered,served");
        JsonNode req = summary.get("requests");
        assertThat(req.get("offered").asLong()).isEqualTo(req.get("served").asLong() + req.get("rejected429").asLong()
                + req.get("unavailable503").asLong() + req.get("lostInScaleDown").asLong()
                + req.get("invalid400").asLong() + req.get("unfinished").asLong());
        return summary;
    }

    @Test
    void theGuidesHpa() throws IOException {
        JsonNode s = run("guide-hpa", SharedData.require("reference/guide-configs/hpa.yaml"),
                SharedData.require("reference/guide-configs/deployment.yaml"));
        assertThat(s.get("autoscaler").asText()).contains("llm-inference-hpa (3 metrics");
        // The guide's memory metric (a loaded model keeps 20 GiB of its 24 GiB request resident: 83% against a
        // 70% target) proposes a scale-up at every sync, so the fleet climbs to maxReplicas and never comes down.
        assertThat(s.at("/capacity/maxReplicas").asInt()).isEqualTo(10);
        assertThat(s.at("/scaling/scaleDowns").asInt()).isZero();
        // The spike still queues while new pods provision a node, pull, load: requests wait up to the 30 s limit.
        assertThat(s.at("/latencyMs/queueWait/p99").asDouble()).isGreaterThan(10_000);
        assertThat(s.at("/scaling/reactionSeconds").asDouble()).isGreaterThan(120);
        // Readiness on /health: pods turn Ready before their model is loaded and answer 503 meanwhile.
        assertThat(s.at("/requests/unavailable503").asLong()).isPositive();
    }

    @Test
    void theGuidesKedaScaledObject() throws IOException {
        JsonNode s = run("guide-keda", SharedData.require("reference/guide-configs/keda-redis.yaml"),
                SharedData.require("reference/guide-configs/deployment.yaml"));
        assertThat(s.get("autoscaler").asText()).contains("KEDA ScaledObject llm-inference-scaler (2 triggers");
        // Five waiting requests per replica drive it to maxReplicaCount; once the queue is empty it scales down in
        // the middle of the spike, the queue comes back, and it scales up again: thrash.
        assertThat(s.at("/capacity/maxReplicas").asInt()).isEqualTo(20);
        assertThat(s.at("/scaling/thrash").asInt()).isPositive();
        // preStop sleep 30 with the default 30 s grace period: SIGKILL as the hook ends, long answers are cut.
        assertThat(s.at("/requests/lostInScaleDown").asLong()).isPositive();
    }

    @Test
    void theManifestsOfDeployOnTheSameSpike() throws IOException {
        JsonNode hpa = run("deploy-hpa", DEPLOY.resolve("hpa/hpa.yaml"), DEPLOY.resolve("base/deployment.yaml"),
                DEPLOY.resolve("hpa/prometheus-adapter-rules.yaml"));
        JsonNode keda = run("deploy-keda", DEPLOY.resolve("keda/scaledobject.yaml"),
                DEPLOY.resolve("base/deployment.yaml"));
        for (JsonNode s : new JsonNode[] {hpa, keda}) {
            // The drain preStop and a grace period that covers it: nothing is cut, nothing answers 503.
            assertThat(s.at("/requests/lostInScaleDown").asLong()).isZero();
            assertThat(s.at("/requests/unavailable503").asLong()).isZero();
        }
        // Without the memory metric the HPA comes back down after the spike.
        assertThat(hpa.at("/scaling/scaleDowns").asInt()).isPositive();
    }
}
