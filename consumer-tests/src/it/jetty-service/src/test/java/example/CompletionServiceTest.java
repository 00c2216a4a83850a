package example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The service as a user builds it against the published jars: it starts, stays unready until its warm-up hook
 * returns, answers a completion, and /metrics serves the guide's five families (the GPU one from the NVML module,
 * reading the fake libnvidia-ml), valid for promtool.
 */
class CompletionServiceTest {

    private static final long GPU0_USED_BYTES = 17_700_000_000L;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void startsWarmsUpAnswersAndExportsTheGuidesFamilies() throws Exception {
        String library = System.getenv("LLM_AUTOSCALE_NVML_LIBRARY");
        if (library == null || !Files.isRegularFile(Path.of(library))) {
            fail("llm-autoscale-nvml: the fake libnvidia-ml is missing (LLM_AUTOSCALE_NVML_LIBRARY=" + library
                    + "); consumer-tests builds it from llm-autoscale-nvml/src/test/c/fake_nvml.c and passes "
                    + "-Dfake.nvml.library to this build");
        }
        Files.writeString(Path.of(System.getenv("FAKE_NVML_CONTROL")), String.join("\n",
                "driver=550.54.15", "count=1",
                "gpu0.name=NVIDIA L4 (fake driver)", "gpu0.uuid=GPU-0f4c1e2a-0000-4000-8000-000000000001",
                "gpu0.mem.total=24000000000", "gpu0.mem.reserved=300000000", "gpu0.mem.free=6000000000",
                "gpu0.mem.used=" + GPU0_USED_BYTES, "gpu0.util.gpu=81", "gpu0.util.memory=40", "gpu0.temp=61",
                "gpu0.power=68000", ""));

        CountDownLatch modelLoaded = new CountDownLatch(1);
        try (CompletionService service = CompletionService.start(0, () -> {
            if (!modelLoaded.await(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the test never released the warm-up hook");
            }
        })) {
            URI base = service.uri();
            assertEquals(200, get(base, "/health").statusCode(), "llm-autoscale-servlet: /health is not 200");
            HttpResponse<String> warming = get(base, "/ready");
            assertEquals(503, warming.statusCode(),
                    "llm-autoscale-servlet: /ready must be 503 while the warm-up hook runs, was "
                            + warming.statusCode() + " " + warming.body());

            modelLoaded.countDown();
            awaitStatus(base, "/ready", 200, "llm-autoscale-servlet: /ready did not turn 200 after the warm-up hook");

            HttpResponse<String> completion = http.send(HttpRequest.newBuilder(base.resolve("/v1/completions"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"consumer-model\",\"prompt\":\"hello\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, completion.statusCode(), "completion answered " + completion.body());
            assertTrue(completion.body().contains("\"choices\""), completion.body());

            String metrics = awaitMetrics(base, "llm_gpu_memory_used_bytes",
                    "llm-autoscale-nvml: llm_gpu_memory_used_bytes never appeared on /metrics: the NVML provider "
                            + "(META-INF/services/dev.llmautoscale.gpu.GpuTelemetryProvider) was not found or did "
                            + "not open " + library);
            for (String family : List.of("llm_inference_requests_total", "llm_inference_duration_seconds",
                    "llm_inference_queue_depth", "llm_gpu_memory_used_bytes", "llm_active_requests")) {
                assertTrue(metrics.contains("# TYPE " + family + " "),
                        "llm-autoscale-servlet: /metrics lacks the family " + family + ":\n" + metrics);
            }
            assertEquals(1.0, value(metrics,
                    "llm_inference_requests_total\\{[^}]*model=\"consumer-model\"[^}]*status=\"success\"[^}]*\\}"),
                    "llm-autoscale-servlet: the completion was not counted as a success of model consumer-model:\n"
                            + metrics);
            assertEquals((double) GPU0_USED_BYTES, value(metrics, "llm_gpu_memory_used_bytes(\\{[^}]*\\})?"),
                    "llm-autoscale-nvml: llm_gpu_memory_used_bytes is not the fake GPU's used memory");
            promtool(metrics);
        }
    }

    private HttpResponse<String> get(URI base, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitStatus(URI base, String path, int status, String message) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        HttpResponse<String> last;
        do {
            last = get(base, path);
            if (last.statusCode() == status) {
                return;
            }
            Thread.sleep(50);
        } while (Instant.now().isBefore(deadline));
        fail(message + ": last answer " + last.statusCode() + " " + last.body());
    }

    private String awaitMetrics(URI base, String family, String message) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        String last;
        do {
            HttpResponse<String> scrape = get(base, "/metrics");
            assertEquals(200, scrape.statusCode(), "llm-autoscale-servlet: /metrics answered " + scrape.statusCode());
            last = scrape.body();
            if (last.contains("\n" + family + " ") || last.contains("\n" + family + "{")) {
                return last;
            }
            Thread.sleep(100);
        } while (Instant.now().isBefore(deadline));
        return fail(message + ":\n" + last);
    }

    private static double value(String exposition, String series) {
        Matcher m = Pattern.compile("(?m)^" + series + " (\\S+)").matcher(exposition);
        if (!m.find()) {
            return fail("no sample matches " + series + " in:\n" + exposition);
        }
        return Double.parseDouble(m.group(m.groupCount()));
    }

    /** promtool from the PATH (Debian package prometheus), as the project's own tests run it. */
    private static void promtool(String exposition) throws Exception {
        Path promtool = null;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                promtool = candidate;
                break;
            }
        }
        if (promtool == null) {
            fail("promtool is not on the PATH; it checks /metrics: run scripts/install-test-deps.sh");
        }
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("promtool check metrics did not finish");
        }
        assertTrue(p.exitValue() == 0 && out.isBlank(),
                "llm-autoscale-servlet: promtool check metrics finds problems in /metrics (exit " + p.exitValue()
                        + "):\n" + out);
    }
}
