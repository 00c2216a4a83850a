package dev.llmautoscale.simulator.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.llmautoscale.simulator.config.ConfigNode;
import dev.llmautoscale.simulator.model.Request;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadFileTest {

    @TempDir
    Path dir;

    private Workload parse(String yaml, long seed) throws IOException {
        return WorkloadFile.parse(new ConfigNode(new ObjectMapper(new YAMLFactory()).readTree(yaml), "w.yaml", ""),
                dir, seed);
    }

    private static List<Request> drain(Workload w) {
        List<Request> out = new ArrayList<>();
        for (double t = 1; t <= w.durationSeconds() + 1; t++) {
            Request r;
            while ((r = w.next(t)) != null) {
                out.add(r);
            }
        }
        return out;
    }

    @Test
    void evenlySpacedArrivalsFollowTheIntegralOfTheRate() throws IOException {
        List<Request> spike = drain(parse("{type: spike, arrivals: uniform, base: 1, peak: 10, at: 100, length: 50,"
                + " duration: 300}", 1));
        assertThat(spike).hasSize(250 + 500 - 1); // the k-th arrival where the count reaches k; the 750th at 300
        assertThat(spike.get(99).arrival()).isEqualTo(100.0);
        assertThat(spike.get(100).arrival()).isCloseTo(100.1, within(1e-9));
        List<Request> ramp = drain(parse("{type: ramp, arrivals: uniform, from: 0, to: 2, over: 100, duration: 100}",
                1));
        assertThat(ramp).hasSize(99); // integral 100
    }

    @Test
    void poissonArrivalsAreSeeded() throws IOException {
        String yaml = "{type: constant, rate: 5, duration: 2000, outputTokens: {distribution: uniform, min: 10,"
                + " max: 20}}";
        List<Request> a = drain(parse(yaml, 3));
        List<Request> b = drain(parse(yaml, 3));
        List<Request> c = drain(parse(yaml, 4));
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).arrival()).isEqualTo(b.get(i).arrival());
            assertThat(a.get(i).maxTokens()).isEqualTo(b.get(i).maxTokens()).isBetween(10, 20);
        }
        assertThat(c.get(0).arrival()).isNotEqualTo(a.get(0).arrival());
        assertThat((double) a.size()).isCloseTo(10_000, within(3 * Math.sqrt(10_000))); // 3 sigma
    }

    @Test
    void diurnalAndBurstsHaveTheirShape() throws IOException {
        List<Request> day = drain(parse("{type: diurnal, arrivals: uniform, mean: 2, amplitude: 1, period: 1000,"
                + " peakAt: 500, duration: 1000}", 1));
        long firstTenth = day.stream().filter(r -> r.arrival() < 100).count();
        long peakTenth = day.stream().filter(r -> r.arrival() >= 450 && r.arrival() < 550).count();
        assertThat(peakTenth).isGreaterThan(2 * firstTenth);
        Workload bursts = parse("{type: bursts, base: 0, burstRate: 10, meanInterval: 300, length: 30,"
                + " duration: 3000}", 9);
        List<Request> b = drain(bursts);
        assertThat(bursts.spikeStartSeconds()).isFinite();
        assertThat(b).isNotEmpty().allSatisfy(r -> assertThat(r.arrival()).isGreaterThanOrEqualTo(
                bursts.spikeStartSeconds()));
        assertThat(drain(parse("{type: bursts, base: 0, burstRate: 10, meanInterval: 300, length: 30,"
                + " duration: 3000}", 9))).hasSameSizeAs(b);
    }

    @Test
    void theLoadGeneratorsCsvReplaysItsScheduledTimes() throws IOException {
        Files.writeString(dir.resolve("loadgen.csv"), String.join("\n",
                "id,scheduled_ms,sent_ms,status,outcome,ttft_ms,e2e_ms,prompt_tokens,max_tokens,usage_prompt_tokens,"
                        + "usage_completion_tokens,chunks,in_flight_at_send,retry_after,error",
                "1,0.000,0.512,200,OK,31.000,80.000,128,64,128,64,65,0,,",
                "2,500.000,500.300,429,TOO_MANY_REQUESTS,,2.000,256,32,-1,-1,0,3,1,\"queue full, retry\"",
                "3,1250.500,1250.600,200,OK,30.000,70.000,64,16,64,16,17,1,,", ""));
        Workload w = parse("{type: trace, file: loadgen.csv}", 1);
        List<Request> r = drain(w);
        assertThat(r).extracting(Request::arrival).containsExactly(0.0, 0.5, 1.2505);
        assertThat(r).extracting(Request::promptTokens).containsExactly(128, 256, 64);
        assertThat(r).extracting(Request::maxTokens).containsExactly(64, 32, 16);
        assertThat(w.describe()).contains("loadgen format");
    }

    @Test
    void theSimpleCsvWithAHeaderAndASpeedFactor() throws IOException {
        Files.writeString(dir.resolve("t.csv"), "time_offset_seconds,prompt_tokens,max_tokens\n# comment\n0,10,5\n"
                + "4,20,6\n\n8,30,7\n");
        List<Request> r = drain(parse("{type: trace, file: t.csv, speed: 2}", 1));
        assertThat(r).extracting(Request::arrival).containsExactly(0.0, 2.0, 4.0);
    }

    @Test
    void aPrometheusRangeExportIsSummedAndReplayedAsARate() throws IOException {
        Files.writeString(dir.resolve("rate.json"), """
                {"status":"success","data":{"resultType":"matrix","result":[
                 {"metric":{"pod":"a"},"values":[[1700000000,"1"],[1700000060,"3"]]},
                 {"metric":{"pod":"b"},"values":[[1700000000,"1"],[1700000060,"1"]]}]}}
                """);
        Workload w = parse("{type: prometheus, file: rate.json, arrivals: uniform}", 1);
        assertThat(w.durationSeconds()).isEqualTo(120);
        List<Request> r = drain(w);
        // 2 req/s for the first minute, 4 req/s for the second.
        assertThat(r).hasSize(120 + 240 - 1);
        assertThat(r.stream().filter(x -> x.arrival() < 60).count()).isEqualTo(119);
    }
}
