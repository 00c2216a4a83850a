package dev.llmautoscale.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code calibrate} on a load generator CSV built from a known engine (15 ms per token, +8% per extra sequence,
 * 0.4 ms of prefill per prompt token, 2.5 s model load): the fit finds the settings back; bad input exits 2 naming
 * the file and the line or column. The end-to-end agreement with the real server is CalibrateIT (inference server).
 */
class CalibrateCommandTest {

    private static final String HEADER = "id,scheduled_ms,sent_ms,status,outcome,ttft_ms,e2e_ms,prompt_tokens,"
            + "max_tokens,usage_prompt_tokens,usage_completion_tokens,chunks,in_flight_at_send,retry_after,error";
    private static final String SCRAPE = """
            # TYPE llm_warmup_duration_seconds gauge
            llm_warmup_duration_seconds{hook="load-model/m"} 2.5
            llm_warmup_duration_seconds{hook="first-inference/m"} 0.25
            llm_inference_requests_total{model="m",status="success"} %d
            """;

    @TempDir
    Path dir;

    private Path csv() throws IOException {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < 200; i++) {
            int inFlight = r.nextInt(8);
            int batch = Math.min(4, inFlight + 1);
            int prompt = 32 + r.nextInt(200);
            int tokens = 10 + r.nextInt(50);
            double tpot = 15 * (1 + 0.08 * (batch - 1));
            double ttft = 1.5 * tpot + 0.4 * prompt;
            double e2e = ttft + (tokens - 1) * tpot;
            b.append(String.format(Locale.ROOT, "%d,%d,%d,200,OK,%.3f,%.3f,%d,%d,%d,%d,%d,%d,,%n", i, i * 100,
                    i * 100, ttft, e2e, prompt, tokens, prompt, tokens, tokens, inFlight));
        }
        b.append("200,20000,20000,429,TOO_MANY_REQUESTS,,1.000,64,10,0,0,0,12,1,\n");
        return Files.writeString(dir.resolve("run.csv"), b.toString());
    }

    private CliRunner.Result calibrate(Path csv) throws IOException {
        Path before = Files.writeString(dir.resolve("before.prom"), String.format(SCRAPE, 0));
        Path after = Files.writeString(dir.resolve("after.prom"), String.format(SCRAPE, 200));
        return CliRunner.run("calibrate", "--csv", csv.toString(), "--metrics-before", before.toString(),
                "--metrics-after", after.toString(), "--max-batch-size", "4", "--model", "m");
    }

    @Test
    void theFitFindsTheEngineBack() throws IOException {
        CliRunner.Result r = calibrate(csv());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("decodeMsPerToken: 15.0000").contains("batchSlowdown: 0.0800")
                .contains("prefillMsPerToken: 0.4000").contains("weightLoad: 2.500").contains("warmUp: 0.250")
                .contains("maxBatchSize: 4").contains("(200 successful requests, 1 refused with 429; the server"
                        + " counted 200 successes");
        // The output is a fleet file run accepts.
        Path fleet = Files.writeString(dir.resolve("fleet.yaml"), r.out());
        Path w = Files.writeString(dir.resolve("w.yaml"), "type: constant\nrate: 1\nduration: 60\n");
        CliRunner.Result run = CliRunner.run("run", "--replicas", "1", "--fleet", fleet.toString(), "--workload",
                w.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    @Test
    void badInputNamesTheFileAndTheLine() throws IOException {
        Path missingColumn = Files.writeString(dir.resolve("a.csv"), "id,outcome\n1,OK\n");
        CliRunner.Result a = calibrate(missingColumn);
        assertThat(a.exitCode()).isEqualTo(2);
        assertThat(a.err()).contains("a.csv").contains("line 1").contains("column scheduled_ms is missing");
        Path malformed = Files.writeString(dir.resolve("b.csv"), HEADER + "\n0,x,0,200,OK,1,2,3,4,5,6,7,8,,\n");
        CliRunner.Result b = calibrate(malformed);
        assertThat(b.exitCode()).isEqualTo(2);
        assertThat(b.err()).contains("b.csv").contains("line 2").contains("malformed row");
        Path few = Files.writeString(dir.resolve("c.csv"), HEADER + "\n");
        CliRunner.Result c = calibrate(few);
        assertThat(c.exitCode()).isEqualTo(2);
        assertThat(c.err()).contains("c.csv").contains("at least 5");
        assertThat(a.err() + b.err() + c.err()).doesNotContain("Exception");
    }
}
