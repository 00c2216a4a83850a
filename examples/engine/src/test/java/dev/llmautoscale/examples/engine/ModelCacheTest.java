package dev.llmautoscale.examples.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCacheTest {

    private static final String MODEL = "meta-llama/Llama-2-13b-chat-hf";

    @Test
    void aColdCacheIsFilledOnceAndIsWarmAfterwards(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("models");
        ModelCache cache = ModelCache.at(dir, Duration.ofMillis(200));
        assertThat(cache.isWarm(MODEL)).isFalse();
        long start = System.nanoTime();
        assertThat(cache.ensure(MODEL)).isEqualTo(ModelCache.Outcome.FETCHED);
        assertThat((System.nanoTime() - start) / 1e6).as("a cold cache costs the fetch").isGreaterThanOrEqualTo(200);
        assertThat(cache.isWarm(MODEL)).isTrue();
        assertThat(cache.modelPath(MODEL)).isEqualTo(dir.resolve("meta-llama_Llama-2-13b-chat-hf"));
        assertThat(cache.modelPath(MODEL).resolve(ModelCache.READY_FILE)).isRegularFile();
        assertThat(cache.ensure(MODEL)).isEqualTo(ModelCache.Outcome.WARM);
        // Nothing half-written is left next to the model.
        assertThat(list(dir)).containsExactly("meta-llama_Llama-2-13b-chat-hf");
        // A second process pointed at the same volume (a new pod) finds it warm.
        assertThat(ModelCache.at(dir, Duration.ofMinutes(5)).ensure(MODEL)).isEqualTo(ModelCache.Outcome.WARM);
    }

    @Test
    void concurrentFillersLeaveOneCompleteModelAndNoPartialCopies(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("shared");
        int pods = 4;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(pods);
        try {
            List<Future<ModelCache.Outcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < pods; i++) {
                ModelCache cache = ModelCache.at(dir, Duration.ofMillis(100));
                outcomes.add(pool.submit(() -> {
                    go.await();
                    return cache.ensure(MODEL);
                }));
            }
            go.countDown();
            for (Future<ModelCache.Outcome> f : outcomes) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isIn(ModelCache.Outcome.FETCHED, ModelCache.Outcome.WARM);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(list(dir)).containsExactly("meta-llama_Llama-2-13b-chat-hf");
        assertThat(list(dir.resolve("meta-llama_Llama-2-13b-chat-hf"))).containsExactlyInAnyOrder("config.json",
                ModelCache.READY_FILE);
    }

    @Test
    void anInterruptedFetchLeavesTheCacheCold(@TempDir Path tmp) throws Exception {
        ModelCache cache = ModelCache.at(tmp, Duration.ofMinutes(5));
        Thread t = new Thread(() -> {
            try {
                cache.ensure("m");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        t.interrupt();
        t.join(10_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(cache.isWarm("m")).isFalse();
        assertThat(list(tmp)).isEmpty();
    }

    @Test
    void noCacheFetchesNothingAndAnUnwritableDirectoryIsNamed(@TempDir Path tmp) throws Exception {
        assertThat(ModelCache.none().ensure("m")).isEqualTo(ModelCache.Outcome.NO_CACHE);
        assertThat(ModelCache.none().isWarm("m")).isFalse();
        assertThat(ModelCache.none().directory()).isEmpty();
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        assertThatThrownBy(() -> ModelCache.at(file, Duration.ZERO).ensure("m"))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("MODEL_DIR " + file + " cannot be written");
        assertThat(ModelCache.directoryName("../etc")).isEqualTo("_._etc");
    }

    @Test
    void theEngineLoadsFasterFromAWarmCache(@TempDir Path tmp) throws Exception {
        EngineConfig config = new EngineConfig(1, 0, 1, 0, 100, 100, Duration.ofMillis(50));
        ModelCache cache = ModelCache.at(tmp, Duration.ofMillis(300));
        try (SimulatedEngine cold = new SimulatedEngine(List.of("m"), config, cache, KvCacheListener.NONE)) {
            long start = System.nanoTime();
            assertThat(cold.loadModel("m")).isEqualTo(ModelCache.Outcome.FETCHED);
            assertThat((System.nanoTime() - start) / 1e6).as("fetch + load").isGreaterThanOrEqualTo(350);
            assertThat(cold.isLoaded("m")).isTrue();
        }
        try (SimulatedEngine warm = new SimulatedEngine(List.of("m"), config, cache, KvCacheListener.NONE)) {
            assertThat(warm.loadModel("m")).isEqualTo(ModelCache.Outcome.WARM);
            assertThat(warm.isLoaded("m")).isTrue();
        }
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
