package dev.llmautoscale.examples.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.examples.deploy.Manifest;
import dev.llmautoscale.examples.deploy.Manifests;
import dev.llmautoscale.examples.deploy.PromQl;
import dev.llmautoscale.examples.loadgen.Api;
import dev.llmautoscale.examples.loadgen.LoadConfig;
import dev.llmautoscale.examples.loadgen.LoadGenerator;
import dev.llmautoscale.examples.loadgen.LoadReport;
import dev.llmautoscale.examples.loadgen.Outcome;
import dev.llmautoscale.examples.loadgen.RateProfile;
import dev.llmautoscale.examples.loadgen.Schedule;
import dev.llmautoscale.testsupport.ChildProcess;
import dev.llmautoscale.testsupport.PrometheusServer;
import dev.llmautoscale.testsupport.RedisServer;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.DoubleAccumulator;
import java.util.regex.Pattern;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every PromQL expression of deploy/ on a real Prometheus: the example server and the queue worker run as their own
 * processes with the fake NVML driver, Prometheus scrapes them every second (with the {@code namespace} and
 * {@code pod} labels the Prometheus Operator would add), the load generator drives a spike while jobs are pushed onto
 * the queue, and then every prometheus-adapter rule (templates filled for the server's pod), KEDA prometheus trigger,
 * alert (its signal, without the threshold) and dashboard panel must return data — kube-state-metrics' replica series
 * are the only ones allowed to be absent — on the expected scale. Last, a GPU is lost and {@code LLMGpuLost} fires.
 */
class PrometheusQueriesIT {

    /** The fake driver's control file, read by both processes (FAKE_NVML_CONTROL). */
    private Path controlFile;

    private static final String NS = "ml-workloads";
    private static final String SERVER_POD = "llm-inference-0";
    private static final String WORKER_POD = "llm-queue-worker-0";
    private static final Path LOGS = Path.of(System.getProperty("e2e.logs", "target/e2e-logs"));
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Two healthy GPUs: memory 75% and 25% used, utilization 81% and 41%, 61 and 55 C, 68 and 40 W. */
    private static String control(boolean loseGpu1) {
        return String.join("\n",
                "driver=550.54.15",
                "count=2",
                "gpu0.name=NVIDIA L4 (fake driver)",
                "gpu0.uuid=GPU-0f4c1e2a-0000-4000-8000-000000000001",
                "gpu0.mem.total=24000000000", "gpu0.mem.reserved=0", "gpu0.mem.free=6000000000",
                "gpu0.mem.used=18000000000",
                "gpu0.util.gpu=81", "gpu0.util.memory=40", "gpu0.temp=61", "gpu0.power=68000",
                "gpu1.name=NVIDIA L4 (fake driver)",
                "gpu1.uuid=GPU-0f4c1e2a-0000-4000-8000-000000000002",
                "gpu1.mem.total=24000000000", "gpu1.mem.reserved=0", "gpu1.mem.free=18000000000",
                "gpu1.mem.used=6000000000",
                "gpu1.util.gpu=41", "gpu1.util.memory=10", "gpu1.temp=55", "gpu1.power=40000",
                loseGpu1 ? "gpu1.lost=1" : "",
                "");
    }

    private static void writeAtomically(Path file, String text) throws Exception {
        Path temp = Files.createTempFile(file.getParent(), "control", ".tmp");
        Files.writeString(temp, text, StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Path jar(String property) {
        String jar = System.getProperty(property);
        assertThat(jar).as("system property " + property + " (set by failsafe)").isNotNull();
        return Path.of(jar);
    }

    private static Map<String, String> engineEnv(Path control) {
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "0");
        env.put("METRICS_PORT", "0");
        env.put("MODEL_LOAD_SECONDS", "0.3");
        env.put("PREFILL_MS_PER_TOKEN", "0.2");
        env.put("SHUTDOWN_LINGER_SECONDS", "0");
        env.put("LLM_AUTOSCALE_NVML_LIBRARY", System.getProperty("fake.nvml.library"));
        env.put("FAKE_NVML_CONTROL", control.toString());
        return env;
    }

    private static int awaitReady(ChildProcess p, Pattern http) throws Exception {
        var m = p.ready();
        int port = Integer.parseInt(m.group(1));
        await(p + " ready", Duration.ofSeconds(60), () -> HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/ready")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        return Integer.parseInt(m.group(2));
    }

    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    /** Polls every 100 ms until the condition holds; fails after a generous deadline. */
    private static void await(String what, Duration timeout, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    /** The result vector of an instant query. */
    private static JsonNode result(PrometheusServer prom, String promql) throws Exception {
        JsonNode answer = JSON.readTree(prom.query(promql));
        assertThat(answer.get("status").stringValue()).as(promql).isEqualTo("success");
        return answer.get("data").get("result");
    }

    /** The single value of an instant query, NaN when it returns nothing. */
    private static double value(PrometheusServer prom, String promql) throws Exception {
        JsonNode r = result(prom, promql);
        if (r.isEmpty()) {
            return Double.NaN;
        }
        assertThat(r.size()).as("one series from " + promql + ": " + r).isEqualTo(1);
        return Double.parseDouble(r.get(0).get("value").get(1).stringValue());
    }

    private static String prometheusConfig(int serverMetrics, int workerMetrics) {
        return String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "  scrape_timeout: 900ms",
                "  evaluation_interval: 1s",
                "rule_files:",
                "  - alerts.yaml",
                "scrape_configs:",
                "  - job_name: llm-inference",
                "    static_configs:",
                "      - targets: ['127.0.0.1:" + serverMetrics + "']",
                "        labels: {namespace: " + NS + ", pod: " + SERVER_POD + "}",
                "  - job_name: llm-queue-worker",
                "    static_configs:",
                "      - targets: ['127.0.0.1:" + workerMetrics + "']",
                "        labels: {namespace: " + NS + ", pod: " + WORKER_POD + "}",
                "");
    }

    private static void writeRules(Path dir) throws Exception {
        Manifest rule = Manifests.ofKind(Manifests.all(), "PrometheusRule").get(0);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Files.writeString(dir.resolve("alerts.yaml"), new Yaml(options).dump(Map.of("groups",
                rule.get("spec", "groups"))));
    }

    @Test
    void everyQueryOfDeployReturnsDataOnTheExpectedScaleAndALostGpuFiresTheAlert(@TempDir Path dir)
            throws Exception {
        Path control = dir.resolve("fake-nvml-control");
        writeAtomically(control, control(false));
        controlFile = control;
        Pattern serverLine = Pattern.compile("inference-server: listening http=(\\d+) metrics=(\\d+)");
        Pattern workerLine = Pattern.compile("queue-worker: listening http=(\\d+) metrics=(\\d+)");
        Map<String, String> serverEnv = engineEnv(control);
        serverEnv.putAll(Map.of("MODEL_NAME", "llama-13b,llama-70b", "MAX_CONCURRENT_REQUESTS", "4",
                "QUEUE_CAPACITY", "8", "MAX_QUEUE_WAIT_SECONDS", "60", "MAX_BATCH_SIZE", "4",
                "DECODE_MS_PER_TOKEN", "20", "PRE_DRAIN_DELAY_SECONDS", "0"));
        try (RedisServer redis = RedisServer.start(Files.createDirectories(dir.resolve("redis")), LOGS);
                ChildProcess server = ChildProcess.start("prometheus-it-server",
                        ChildProcess.javaJar(jar("server.jar")), serverEnv, serverLine, Duration.ofSeconds(60), LOGS);
                ChildProcess worker = ChildProcess.start("prometheus-it-worker",
                        ChildProcess.javaJar(jar("worker.jar")), workerEnv(control, redis), workerLine,
                        Duration.ofSeconds(60), LOGS)) {
            int serverMetrics = awaitReady(server, serverLine);
            int workerMetrics = awaitReady(worker, workerLine);
            int serverHttp = Integer.parseInt(server.ready().group(1));
            Path promDir = Files.createDirectories(dir.resolve("prometheus"));
            writeRules(promDir);
            try (PrometheusServer prom = PrometheusServer.start(promDir,
                    prometheusConfig(serverMetrics, workerMetrics), LOGS)) {
                await("both targets up", Duration.ofSeconds(60), () ->
                        value(prom, "sum(up{namespace=\"" + NS + "\"})") == 2);
                run(prom, redis, serverHttp);
            }
        }
    }

    private static Map<String, String> workerEnv(Path control, RedisServer redis) {
        Map<String, String> env = engineEnv(control);
        env.putAll(Map.of("REDIS_HOST", redis.address(), "MODEL_NAME", "llama-13b", "MAX_CONCURRENT_REQUESTS", "4",
                "MAX_BATCH_SIZE", "4", "DECODE_MS_PER_TOKEN", "10", "LEASE_SECONDS", "3", "HOSTNAME", WORKER_POD));
        return env;
    }

    private void run(PrometheusServer prom, RedisServer redis, int serverHttp) throws Exception {
        List<PromQl.Query> keda = PromQl.queries(Manifests.all()).stream().filter(q -> q.kind().equals("keda"))
                .toList();
        String kedaQueueDepth = keda.stream().map(PromQl.Query::expr)
                .filter(e -> e.contains("llm_inference_queue_depth")).findFirst().orElseThrow();
        String kedaInHand = keda.stream().map(PromQl.Query::expr)
                .filter(e -> e.contains("llm_queue_worker_jobs_in_hand")).findFirst().orElseThrow();
        String listLength = "max(llm_queue_worker_list_length{namespace=\"" + NS + "\"})";

        // Sample the scaling signals through Prometheus while the load runs.
        DoubleAccumulator maxQueueDepth = new DoubleAccumulator(Math::max, 0);
        DoubleAccumulator maxInHand = new DoubleAccumulator(Math::max, 0);
        DoubleAccumulator maxListLength = new DoubleAccumulator(Math::max, 0);
        AtomicBoolean sampling = new AtomicBoolean(true);
        CompletableFuture<Void> sampler = CompletableFuture.runAsync(() -> {
            while (sampling.get()) {
                try {
                    maxQueueDepth.accumulate(value(prom, kedaQueueDepth));
                    maxInHand.accumulate(value(prom, kedaInHand));
                    maxListLength.accumulate(value(prom, listLength));
                    Thread.sleep(200);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });

        // 150 jobs for the worker (about 4 s of work), and a spike for the server: llama-13b at 3/s with 40/s from
        // 3 s to 5 s, llama-70b at 1/s, 9 s in all.
        Map<String, String> produceEnv = Map.of("REDIS_HOST", redis.address());
        try (ChildProcess produce = ChildProcess.start("prometheus-it-produce", ChildProcess.javaJar(
                jar("worker.jar"), "produce", "--count", "150", "--max-tokens", "20", "--model", "llama-13b"),
                produceEnv, Pattern.compile("produce: pushed 150 jobs"), Duration.ofSeconds(60), LOGS)) {
            assertThat(produce.awaitExit(Duration.ofSeconds(30))).isZero();
        }
        URI url = URI.create("http://127.0.0.1:" + serverHttp);
        CompletableFuture<LoadReport> small = CompletableFuture.supplyAsync(() -> load(url, "llama-70b",
                RateProfile.constant(1), 9));
        LoadReport spike = load(url, "llama-13b", RateProfile.spike(3, 40, 3, 2), 9);
        LoadReport constant = small.get(120, TimeUnit.SECONDS);

        // Everything returns to 0, and Prometheus sees it.
        await("queue depth, running requests and the queue worker back to 0", Duration.ofSeconds(60), () ->
                value(prom, kedaQueueDepth) == 0 && value(prom, kedaInHand) == 0 && value(prom, listLength) == 0
                        && value(prom, "sum(llm_requests_running{namespace=\"" + NS + "\"})") == 0);
        sampling.set(false);
        sampler.get(30, TimeUnit.SECONDS);
        assertThat(maxQueueDepth.get()).as("KEDA queue depth during the spike").isBetween(1.0, 8.0);
        assertThat(maxInHand.get()).as("jobs in hand while the worker ran").isBetween(1.0, 4.0);
        assertThat(maxListLength.get()).as("jobs waiting in inference_queue").isGreaterThan(4);

        // The counters Prometheus holds are exactly what the load generator and the producer saw.
        long ok = spike.count(Outcome.OK) + constant.count(Outcome.OK);
        long refused = spike.count(Outcome.TOO_MANY_REQUESTS) + constant.count(Outcome.TOO_MANY_REQUESTS);
        long sent = spike.sent() + constant.sent();
        assertThat(ok + refused).as(spike.summary() + constant.summary()).isEqualTo(sent);
        assertThat(refused).as("the spike overflows the admission queue").isPositive();
        String server = "namespace=\"" + NS + "\",pod=\"" + SERVER_POD + "\"";
        await("Prometheus to scrape the final counters", Duration.ofSeconds(30), () ->
                value(prom, "sum(llm_inference_requests_total{" + server + ",status=\"success\"})") == ok
                        && value(prom, "sum(llm_requests_rejected_total{" + server + "})") == refused
                        && value(prom, "sum(llm_queue_worker_jobs_completed_total{namespace=\"" + NS + "\"})") == 150);

        List<String> problems = evaluateEverything(prom);
        assertThat(problems).as("queries of deploy/ without data on the real Prometheus").isEmpty();
        expectedScale(prom, ok, sent);
        gpuLossFiresTheAlert(prom);
    }

    private static LoadReport load(URI url, String model, RateProfile profile, int seconds) {
        Schedule schedule = Schedule.bounded(profile.schedule(16, 12), TimeUnit.SECONDS.toNanos(seconds), 2000);
        LoadConfig config = new LoadConfig(url, Api.COMPLETIONS, model, true, Duration.ofSeconds(60), 2000);
        try (PrintStream progress = new PrintStream(Files.newOutputStream(LOGS.resolve("prometheus-it-loadgen-"
                + model + ".log")), true, StandardCharsets.UTF_8)) {
            LoadReport report = new LoadGenerator(config, progress).run(schedule);
            progress.print(report.summary());
            return report;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every adapter rule, KEDA trigger, alert signal and dashboard panel; what returned nothing. */
    private static List<String> evaluateEverything(PrometheusServer prom) throws Exception {
        List<PromQl.Query> queries = new ArrayList<>(PromQl.queries(Manifests.all()));
        queries.addAll(PromQl.dashboardQueries());
        Map<String, Integer> byKind = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        Map<String, String> recorded = recordingRules();
        int absentAllowed = 0;
        for (PromQl.Query q : queries) {
            String expr = q.kind().equals("alert") ? PromQl.signal(q.expr()) : q.expr();
            byKind.merge(q.kind(), 1, Integer::sum);
            if (!result(prom, expr).isEmpty()) {
                continue;
            }
            if (PromQl.metricNames(expr).stream().allMatch(n -> fromKubeStateMetrics(n, recorded))) {
                absentAllowed++;
            } else {
                problems.add(q.where() + ": no data for " + expr);
            }
        }
        System.out.println("Evaluated on Prometheus: " + byKind + "; without data (kube-state-metrics only): "
                + absentAllowed);
        assertThat(byKind).containsKeys("keda", "adapter", "alert", "dashboard");
        // The replica panel's two targets, the thrash recording rule and its alert.
        assertThat(absentAllowed).as("queries of kube-state-metrics series only").isEqualTo(4);
        return problems;
    }

    /** The recording rules of deploy/: recorded name to expression. */
    private static Map<String, String> recordingRules() {
        Map<String, String> recorded = new HashMap<>();
        for (PromQl.Query q : PromQl.queries(Manifests.all())) {
            int at = q.where().lastIndexOf(" rule ");
            String name = at < 0 ? "" : q.where().substring(at + " rule ".length());
            if (q.kind().equals("alert") && name.contains(":")) {
                recorded.put(name, q.expr());
            }
        }
        return recorded;
    }

    /**
     * Whether a series comes from kube-state-metrics, which does not run here: a kube_* family, or a recorded name
     * whose rule reads only such series (or itself).
     */
    private static boolean fromKubeStateMetrics(String name, Map<String, String> recorded) {
        if (name.startsWith("kube_")) {
            return true;
        }
        String expr = recorded.get(name);
        return expr != null && PromQl.metricNames(expr).stream()
                .allMatch(n -> n.equals(name) || n.startsWith("kube_"));
    }

    private static void expectedScale(PrometheusServer prom, long ok, long sent) throws Exception {
        // The guide's own queries, exactly as it wrote them.
        assertThat(value(prom, "avg(nvidia_gpu_memory_used_bytes / nvidia_gpu_memory_total_bytes * 100)"))
                .as("the guide's GPU memory query: GPUs 75% and 25% used").isCloseTo(50.0, within(1e-9));
        JsonNode rate = result(prom, "rate(llm_inference_requests_total{model=\"llama-13b\",status=\"success\"}[2m])");
        // One series per pod that serves llama-13b: the server and the queue worker.
        assertThat(rate).as("the guide's per-model rate").hasSize(2);
        for (JsonNode series : rate) {
            assertThat(Double.parseDouble(series.get("value").get(1).stringValue())).as(series.toString())
                    .isPositive();
        }

        // The adapter's gpu_utilization for the server's pod: the average of 81 and 41.
        PromQl.AdapterRule gpuUtil = Manifests.ofKind(Manifests.all(), "ConfigMap").stream()
                .flatMap(m -> PromQl.adapterRules(m).stream()).filter(r -> r.as().equals("gpu_utilization"))
                .findFirst().orElseThrow();
        assertThat(value(prom, gpuUtil.filledMetricsQuery())).isCloseTo(61.0, within(1e-9));

        // Dashboard panels on the fake driver's figures and the load generator's outcomes.
        Map<String, String> panels = new HashMap<>();
        for (PromQl.Query q : PromQl.dashboardQueries()) {
            panels.put(q.where(), q.expr());
        }
        String success = panels.entrySet().stream().filter(e -> e.getKey().contains("'Success rate'"))
                .map(Map.Entry::getValue).findFirst().orElseThrow();
        // Over the namespace: the server's requests and the worker's 150 jobs, all of which succeeded.
        assertThat(value(prom, success)).as("success share on the dashboard vs the load generator's")
                .isCloseTo((double) (ok + 150) / (sent + 150), within(0.02));
        String serverShare = success.replace("namespace=\"" + NS + "\"", "namespace=\"" + NS + "\",pod=\""
                + SERVER_POD + "\"");
        assertThat(serverShare).isNotEqualTo(success);
        assertThat(value(prom, serverShare)).as("the server's success share vs the load generator's")
                .isCloseTo((double) ok / sent, within(0.02));
        String temperature = "max(" + panel(panels, "'GPU temperature'") + ")";
        assertThat(value(prom, temperature)).isEqualTo(61.0);
        String power = "sum(" + panel(panels, "'GPU power'") + ")";
        assertThat(value(prom, power)).as("two pods, 68 W + 40 W each").isCloseTo(216.0, within(1e-9));

        // The cost rules: 2 pods x 2 GPUs held, and GPU-seconds per thousand successful requests over 5 minutes
        // (the server's requests and the worker's jobs), against the success rate Prometheus computes itself.
        String ns = "{namespace=\"" + NS + "\"}";
        assertThat(value(prom, "llm:gpus_held:count" + ns)).as("replicas x GPUs per pod").isEqualTo(4.0);
        double successRate = value(prom, "sum(rate(llm_inference_requests_total{namespace=\"" + NS
                + "\",status=\"success\"}[5m]))");
        double perThousand = value(prom, "llm:gpu_seconds_per_1k_successes:ratio5m" + ns);
        System.out.printf("GPU-seconds per 1000 successful requests: %.1f (4 GPUs, %.3f successes/s)%n",
                perThousand, successRate);
        assertThat(perThousand).isCloseTo(4 * 1000 / successRate, Percentage.withPercentage(10));
        String costPanel = panel(panels, "'Cost: GPU-seconds per 1000 successful requests' target A");
        assertThat(value(prom, costPanel)).isCloseTo(perThousand,
                Percentage.withPercentage(10));
    }

    private static String panel(Map<String, String> panels, String title) {
        return panels.entrySet().stream().filter(e -> e.getKey().contains(title)).map(Map.Entry::getValue)
                .findFirst().orElseThrow(() -> new AssertionError("no dashboard panel " + title));
    }

    private static org.assertj.core.data.Offset<Double> within(double d) {
        return org.assertj.core.data.Offset.offset(d);
    }

    /** The fake driver loses GPU 1 mid-run: GPU_IS_LOST goes from 0 to 1 and LLMGpuLost fires. */
    private void gpuLossFiresTheAlert(PrometheusServer prom) throws Exception {
        String lost = "llm_gpu_nvml_errors_total{namespace=\"" + NS + "\",pod=\"" + SERVER_POD
                + "\",code=\"GPU_IS_LOST\"}";
        assertThat(value(prom, lost)).as("exported at 0 before any loss").isZero();
        long t0 = System.nanoTime();
        writeAtomically(controlFile, control(true));
        await("LLMGpuLost firing", Duration.ofSeconds(60), () -> !result(prom,
                "ALERTS{alertname=\"LLMGpuLost\",alertstate=\"firing\",pod=\"" + SERVER_POD + "\"}").isEmpty());
        System.out.printf("LLMGpuLost fired %.1f s after the fake driver lost GPU 1%n", (System.nanoTime() - t0) / 1e9);
        assertThat(value(prom, lost)).isEqualTo(1.0);
    }
}
