package dev.llmautoscale.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Same inputs and seed: byte-identical CSV, JSON summary, PNG and HTML; another seed: another run. */
class DeterminismTest {

    @TempDir
    Path dir;

    private byte[][] run(String name, String seed) throws IOException {
        Path csv = dir.resolve(name + ".csv");
        Path png = dir.resolve(name + ".png");
        Path html = dir.resolve(name + ".html");
        CliRunner.Result r = CliRunner.run("run", "-f", "../deploy/keda/scaledobject.yaml", "-f",
                "../deploy/base/deployment.yaml", "--workload", "examples/guide-spike.yaml", "--seed", seed,
                "--format", "json", "--csv", csv.toString(), "--png", png.toString(), "--html", html.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        return new byte[][] {r.out().getBytes(), Files.readAllBytes(csv), Files.readAllBytes(png),
            Files.readAllBytes(html)};
    }

    @Test
    void sameSeedSameBytes() throws IOException {
        byte[][] a = run("a", "7");
        byte[][] b = run("b", "7");
        byte[][] c = run("c", "8");
        for (int i = 0; i < a.length; i++) {
            assertThat(b[i]).as("output %d", i).isEqualTo(a[i]);
        }
        assertThat(c[1]).isNotEqualTo(a[1]);
        assertThat(c[0]).isNotEqualTo(a[0]);
    }
}
