package dev.llmautoscale.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareCommandTest {

    @TempDir
    Path dir;

    @Test
    void severalConfigurationsOneTableOneChartOneReport() throws IOException {
        Path w = dir.resolve("w.yaml");
        Files.writeString(w, "type: spike\nbase: 1\npeak: 5\nat: 300\nlength: 300\nduration: 1200\n");
        Path png = dir.resolve("c.png");
        Path html = dir.resolve("c.html");
        CliRunner.Result r = CliRunner.run("compare", "--workload", w.toString(), "--png", png.toString(), "--html",
                html.toString(),
                "hpa=../deploy/hpa/hpa.yaml,../deploy/base/deployment.yaml",
                "keda=../deploy/keda/scaledobject.yaml,../deploy/base/deployment.yaml");
        assertThat(r.exitCode()).as(r.err()).isZero();
        String header = r.out().lines().filter(l -> l.trim().startsWith("hpa") && l.contains("keda")).findFirst()
                .orElseThrow();
        assertThat(header.trim().split("\\s+")).containsExactly("hpa", "keda");
        assertThat(r.out()).contains("hpa: HorizontalPodAutoscaler llm-inference-hpa")
                .contains("keda: KEDA ScaledObject llm-inference-scaler");
        assertThat(Files.size(png)).isGreaterThan(20_000);
        String page = Files.readString(html);
        assertThat(page).contains("<th>hpa</th><th>keda</th>").contains("Scale events: hpa")
                .contains("Scale events: keda");
        CliRunner.Result json = CliRunner.run("compare", "--workload", w.toString(), "--format", "json",
                "a=../deploy/hpa/hpa.yaml", "b=../deploy/keda/scaledobject.yaml");
        assertThat(json.exitCode()).as(json.err()).isZero();
        assertThat(json.out().strip()).startsWith("[").endsWith("]").contains("\"label\" : \"a\"")
                .contains("\"label\" : \"b\"");
    }
}
