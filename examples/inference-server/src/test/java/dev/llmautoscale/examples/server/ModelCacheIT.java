package dev.llmautoscale.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.examples.deploy.Exposition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guide's model-loading advice with the real jar: {@code inference-server preload} (the init container) fills
 * {@code MODEL_DIR}, and a server started on a warm cache skips the simulated download that a cold one pays.
 */
class ModelCacheIT {

    private static final String MODEL = "meta-llama/Llama-2-13b-chat-hf";
    private static final String LOAD_HOOK = "llm_warmup_duration_seconds{hook=\"load-model/" + MODEL + "\"}";

    /** Runs {@code java -jar inference-server.jar preload} to completion. */
    private static ProcessResult preload(Map<String, String> env) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar",
                System.getProperty("server.jar"), "preload").redirectErrorStream(true);
        pb.environment().remove("LLM_AUTOSCALE_NVML_LIBRARY");
        pb.environment().putAll(env);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("preload finished").isTrue();
        return new ProcessResult(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private record ProcessResult(int status, String output) {
    }

    private static double loadSeconds(ServerProcess s) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (s.get("/ready").status() != 200) {
            assertThat(System.nanoTime() < deadline).as("ready within 120 s; output:\n" + s.output()).isTrue();
            Thread.sleep(50);
        }
        return Exposition.value(s.scrape(), LOAD_HOOK);
    }

    @Test
    void theInitContainersPreloadMakesTheServersLoadSkipTheDownload(@TempDir Path cache) throws Exception {
        Map<String, String> env = Map.of("MODEL_NAME", MODEL, "MODEL_DIR", cache.toString(),
                "MODEL_FETCH_SECONDS", "2", "MODEL_LOAD_SECONDS", "0.2");
        ProcessResult first = preload(env);
        assertThat(first.status()).as(first.output()).isZero();
        assertThat(first.output()).contains("not cached (cold)", "inference-server preload: " + MODEL + " fetched");
        assertThat(cache.resolve("meta-llama_Llama-2-13b-chat-hf").resolve("MODEL_READY")).isRegularFile();
        ProcessResult again = preload(env);
        assertThat(again.status()).as(again.output()).isZero();
        assertThat(again.output()).contains(MODEL + " already cached");

        // The server container after the init container: the cache is warm, so no 2 s download, only the load.
        // (A fetch time of 60 s makes a download impossible to miss: the server would not be ready for a minute.)
        try (ServerProcess s = ServerProcess.start("model-cache-warm", Map.of("MODEL_NAME", MODEL,
                "MODEL_DIR", cache.toString(), "MODEL_FETCH_SECONDS", "60", "MODEL_LOAD_SECONDS", "0.2"))) {
            double load = loadSeconds(s);
            assertThat(load).isGreaterThanOrEqualTo(0.2).isLessThan(60);
            assertThat(s.output()).contains("is cached (warm), no download").doesNotContain("(cold)");
        }
    }

    @Test
    void withoutTheInitContainerTheFirstServerPaysTheDownloadAndFillsTheCache(@TempDir Path cache)
            throws Exception {
        try (ServerProcess s = ServerProcess.start("model-cache-cold", Map.of("MODEL_NAME", MODEL,
                "MODEL_DIR", cache.toString(), "MODEL_FETCH_SECONDS", "2", "MODEL_LOAD_SECONDS", "0.2"))) {
            double load = loadSeconds(s);
            assertThat(load).as("download + load").isGreaterThanOrEqualTo(2.2);
            assertThat(s.output()).contains("not cached (cold); downloading it for 2000 ms");
            ServerProcess.Answer ok = s.post("/v1/completions",
                    "{\"model\":\"" + MODEL + "\",\"prompt\":\"abcd\",\"max_tokens\":2}");
            assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        }
        assertThat(cache.resolve("meta-llama_Llama-2-13b-chat-hf").resolve("MODEL_READY")).isRegularFile();
    }

    @Test
    void preloadWithoutModelDirIsAClearError() throws Exception {
        ProcessResult r = preload(Map.of("MODEL_NAME", MODEL));
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.output()).contains("MODEL_DIR is not set");
        ProcessResult bad = preload(Map.of("MODEL_DIR", "relative/dir"));
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.output()).contains("MODEL_DIR must be an absolute directory path, got 'relative/dir'");
        assertThat(List.of(r.output(), bad.output())).noneMatch(o -> o.contains("Exception"));
    }
}
