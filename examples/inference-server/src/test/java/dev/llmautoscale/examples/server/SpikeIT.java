package dev.llmautoscale.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.examples.deploy.Exposition;
import dev.llmautoscale.examples.deploy.FakeGpu;
import dev.llmautoscale.examples.deploy.ManifestMetrics;
import dev.llmautoscale.examples.deploy.Manifests;
import dev.llmautoscale.examples.loadgen.Api;
import dev.llmautoscale.examples.loadgen.LoadConfig;
import dev.llmautoscale.examples.loadgen.LoadGenerator;
import dev.llmautoscale.examples.loadgen.LoadReport;
import dev.llmautoscale.examples.loadgen.Outcome;
import dev.llmautoscale.examples.loadgen.RateProfile;
import dev.llmautoscale.examples.loadgen.RequestResult;
import dev.llmautoscale.examples.loadgen.Schedule;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A spike from the load generator against the jar: queue depth and active requests rise and fall back to 0, 429s
 * appear only past capacity, and the server's counters equal what the load generator saw. The GPU metrics come from the
 * fake NVML driver through the real binding, so the scrape also has the names the manifests use.
 */
class SpikeIT {

    private static final int MAX_CONCURRENT = 4;
    private static final int QUEUE = 4;
    private static final int PROMPT_TOKENS = 16;
    private static final int MAX_TOKENS = 12;
    private static final String MODEL = "llama-13b";

    @Test
    void aSpikeQueuesRefusesPastCapacityAndCountsExactly() throws Exception {
        Path logs = Path.of(System.getProperty("server.logs", "target/e2e-logs"));
        Path control = logs.resolve("fake-nvml-control");
        FakeGpu.writeControl(control);
        Map<String, String> env = Map.ofEntries(
                Map.entry("MODEL_NAME", MODEL),
                Map.entry("MAX_CONCURRENT_REQUESTS", String.valueOf(MAX_CONCURRENT)),
                Map.entry("QUEUE_CAPACITY", String.valueOf(QUEUE)),
                Map.entry("MAX_QUEUE_WAIT_SECONDS", "60"),
                Map.entry("MAX_BATCH_SIZE", "4"),
                Map.entry("DECODE_MS_PER_TOKEN", "20"),
                Map.entry("PREFILL_MS_PER_TOKEN", "0.2"),
                Map.entry("MODEL_LOAD_SECONDS", "0.5"),
                Map.entry("LLM_AUTOSCALE_NVML_LIBRARY", System.getProperty("fake.nvml.library")),
                Map.entry("FAKE_NVML_CONTROL", control.toString()));
        try (ServerProcess s = ServerProcess.start("spike", env)) {
            Readiness.await(s);

            // Poll /metrics while the load runs.
            AtomicBoolean polling = new AtomicBoolean(true);
            AtomicInteger maxQueue = new AtomicInteger();
            AtomicInteger maxActive = new AtomicInteger();
            AtomicInteger kvSeen = new AtomicInteger();
            Thread poller = new Thread(() -> {
                while (polling.get()) {
                    try {
                        String scrape = s.scrape();
                        maxQueue.accumulateAndGet((int) Exposition.value(scrape, "llm_inference_queue_depth"),
                                Math::max);
                        maxActive.accumulateAndGet((int) Exposition.value(scrape, "llm_active_requests"), Math::max);
                        if (Exposition.value(scrape, "llm_kv_cache_utilization_ratio{model=\"" + MODEL + "\"}") > 0) {
                            kvSeen.incrementAndGet();
                        }
                        Thread.sleep(40);
                    } catch (Exception e) {
                        return;
                    }
                }
            }, "metrics-poller");
            poller.start();

            // 2 req/s, with 40 req/s from 2 s to 3 s; 6 s in all.
            Schedule spike = Schedule.bounded(RateProfile.spike(2, 40, 2, 1).schedule(PROMPT_TOKENS, MAX_TOKENS),
                    TimeUnit.SECONDS.toNanos(6), 1000);
            LoadConfig config = new LoadConfig(URI.create(s.url()), Api.COMPLETIONS, MODEL, true,
                    Duration.ofSeconds(60), 1000);
            LoadReport report;
            try (PrintStream progress = new PrintStream(Files.newOutputStream(logs.resolve("spike-loadgen.log")),
                    true, StandardCharsets.UTF_8)) {
                report = new LoadGenerator(config, progress).run(spike);
                progress.print(report.summary());
                report.writeCsv(logs.resolve("spike-loadgen.csv"));
            }

            // Everything settles back to zero.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            String scrape = s.scrape();
            while ((Exposition.value(scrape, "llm_active_requests") != 0
                    || Exposition.value(scrape, "llm_inference_queue_depth") != 0) && System.nanoTime() < deadline) {
                Thread.sleep(50);
                scrape = s.scrape();
            }
            polling.set(false);
            poller.join(5_000);
            assertThat(Exposition.value(scrape, "llm_active_requests")).isZero();
            assertThat(Exposition.value(scrape, "llm_inference_queue_depth")).isZero();
            assertThat(s.get("/active_requests").body().trim()).isEqualTo("0");
            assertThat(Exposition.value(scrape, "llm_kv_cache_utilization_ratio{model=\"" + MODEL + "\"}")).isZero();

            // They rose: every slot was busy and requests queued, never beyond the limits.
            assertThat(maxActive.get()).as("peak running").isEqualTo(MAX_CONCURRENT);
            assertThat(maxQueue.get()).as("peak queue depth").isBetween(1, QUEUE);
            assertThat(kvSeen.get()).as("scrapes with KV cache in use").isPositive();

            // 429s only past capacity: each was sent while at least MAX_CONCURRENT + QUEUE requests were outstanding
            // (the client's count is never below the server's, whose slots free up before the client hears back).
            long ok = report.count(Outcome.OK);
            long tooMany = report.count(Outcome.TOO_MANY_REQUESTS);
            assertThat(report.sent()).isEqualTo(report.results().size()).isGreaterThan(40);
            assertThat(tooMany).as("the spike overflows").isPositive();
            assertThat(ok + tooMany).as(report.summary()).isEqualTo(report.sent());
            assertThat(report.results()).filteredOn(r -> r.outcome() == Outcome.TOO_MANY_REQUESTS)
                    .allSatisfy(r -> {
                        assertThat(r.inFlightAtSend()).as("request " + r.id()).isGreaterThanOrEqualTo(
                                MAX_CONCURRENT + QUEUE);
                        assertThat(r.retryAfter()).isEqualTo("1");
                    });
            assertThat(report.results()).filteredOn(r -> r.scheduledNanos() < TimeUnit.SECONDS.toNanos(2))
                    .isNotEmpty().allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.OK));

            // The server's counters equal what the load generator saw.
            String m = "{model=\"" + MODEL + "\"";
            assertThat(Exposition.value(scrape, "llm_inference_requests_total" + m + ",status=\"success\"}"))
                    .isEqualTo(ok);
            assertThat(Exposition.value(scrape, "llm_inference_requests_total" + m + ",status=\"rejected\"}"))
                    .isEqualTo(tooMany);
            assertThat(Exposition.value(scrape, "llm_requests_rejected_total" + m + ",reason=\"queue_full\"}"))
                    .isEqualTo(tooMany);
            assertThat(Exposition.value(scrape, "llm_inference_requests_total" + m + ",status=\"error\"}")).isZero();
            assertThat(Exposition.value(scrape, "llm_inference_requests_total" + m + ",status=\"cancelled\"}"))
                    .isZero();
            assertThat(report.completionTokens()).isEqualTo(ok * MAX_TOKENS);
            assertThat(report.promptTokens()).isEqualTo(ok * PROMPT_TOKENS);
            assertThat(Exposition.value(scrape, "llm_generation_tokens_total" + m + "}"))
                    .isEqualTo(report.completionTokens());
            assertThat(Exposition.value(scrape, "llm_prompt_tokens_total" + m + "}")).isEqualTo(report.promptTokens());
            assertThat(Exposition.value(scrape, "llm_time_to_first_token_seconds_count" + m + "}")).isEqualTo(ok);
            assertThat(Exposition.value(scrape, "llm_time_per_output_token_seconds_count" + m + "}")).isEqualTo(ok);
            assertThat(report.ttft().count()).isEqualTo(ok);
            assertThat(report.ttft().percentile(50)).isLessThan(report.e2e().percentile(50));
            for (RequestResult r : report.results()) {
                if (r.outcome() == Outcome.OK) {
                    assertThat(r.chunks()).isGreaterThanOrEqualTo(3);
                }
            }

            // GPU metrics through the fake driver, with the legacy names the guide's KEDA query reads; and every name
            // the HPA, adapter, KEDA and alert manifests use is in this scrape of the running server.
            assertThat(Exposition.value(scrape, "llm_gpu_utilization_percent{gpu=\"0\","
                    + "uuid=\"GPU-0f4c1e2a-0000-4000-8000-000000000001\"}")).isEqualTo(81);
            assertThat(Exposition.sampleNames(scrape)).contains("nvidia_gpu_memory_used_bytes",
                    "nvidia_gpu_memory_total_bytes", "llm_gpu_memory_used_bytes");
            assertThat(ManifestMetrics.problems(scrape, Manifests.all(), false))
                    .as("PromQL of deploy/ against the running server's scrape").isEmpty();
        }
    }
}
