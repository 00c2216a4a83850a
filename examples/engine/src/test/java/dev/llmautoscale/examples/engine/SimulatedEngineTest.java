package dev.llmautoscale.examples.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SimulatedEngineTest {

    private static final Duration TOKEN_WAIT = Duration.ofSeconds(30);
    private SimulatedEngine engine;
    private final List<double[]> kv = new CopyOnWriteArrayList<>();

    private SimulatedEngine engine(EngineConfig config, String... models) throws InterruptedException {
        engine = new SimulatedEngine(List.of(models), config, (m, r) -> kv.add(new double[] {r}));
        for (String m : models) {
            engine.loadModel(m);
        }
        return engine;
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private static EngineConfig config(int batch, double prefill, double decode, int kvTokens, int context) {
        return new EngineConfig(batch, prefill, decode, 0.05, kvTokens, context, Duration.ZERO);
    }

    /** Waits for the first token and returns how long it took, in ms. */
    private static double firstTokenMillis(Generation g) throws Exception {
        long start = System.nanoTime();
        assertThat(g.await(30, TimeUnit.SECONDS)).isPositive();
        return (System.nanoTime() - start) / 1e6;
    }

    @Test
    void generatesExactlyMaxTokensThenEnds() throws Exception {
        engine(config(4, 0.1, 2, 1000, 500), "m");
        Generation g = engine.submit("m", 10, 25);
        assertThat(SimulatedEngine.drain(g, TOKEN_WAIT)).isEqualTo(25);
        assertThat(g.await(1, TimeUnit.SECONDS)).isEqualTo(-1);
        assertThat(g.consumed()).isEqualTo(25);
    }

    @Test
    void prefillTimeGrowsWithThePrompt() throws Exception {
        engine(config(4, 1.0, 5, 4000, 2000), "m");
        double shortPrompt = firstTokenMillis(engine.submit("m", 10, 1));
        double longPrompt = firstTokenMillis(engine.submit("m", 1000, 1));
        // 1000 tokens at 1 ms/token: about a second more than 10 tokens.
        assertThat(longPrompt - shortPrompt).isGreaterThan(800);
        assertThat(shortPrompt).isLessThan(longPrompt / 3);
    }

    @Test
    void decodeTakesAboutOneStepPerTokenAndABatchSlowsEachToken() throws Exception {
        EngineConfig cfg = new EngineConfig(8, 0, 10, 0.25, 4000, 2000, Duration.ZERO);
        engine(cfg, "m");
        long start = System.nanoTime();
        SimulatedEngine.drain(engine.submit("m", 1, 40), TOKEN_WAIT);
        double alone = (System.nanoTime() - start) / 1e6;
        assertThat(alone).isGreaterThanOrEqualTo(400);

        List<Generation> batch = new ArrayList<>();
        start = System.nanoTime();
        for (int i = 0; i < 8; i++) {
            batch.add(engine.submit("m", 1, 40));
        }
        int total = 0;
        for (Generation g : batch) {
            total += SimulatedEngine.drain(g, TOKEN_WAIT);
        }
        double together = (System.nanoTime() - start) / 1e6;
        assertThat(total).isEqualTo(320);
        // Continuous batching: 8 sequences take far less than 8 times one, but each token is slower
        // (step = 10 ms * (1 + 0.25 * 7) = 27.5 ms).
        assertThat(together).isLessThan(alone * 5).isGreaterThanOrEqualTo(40 * 27.5);
    }

    @Test
    void theBatchNeverExceedsItsMaximumAndTheRestWait() throws Exception {
        engine(config(2, 0, 5, 1000, 500), "m");
        List<Generation> all = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            all.add(engine.submit("m", 1, 20));
        }
        int maxBatch = 0;
        int maxWaiting = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (engine.batchSize("m") + engine.waiting("m") > 0 && System.nanoTime() < deadline) {
            maxBatch = Math.max(maxBatch, engine.batchSize("m"));
            maxWaiting = Math.max(maxWaiting, engine.waiting("m"));
            Thread.sleep(2);
        }
        for (Generation g : all) {
            assertThat(SimulatedEngine.drain(g, TOKEN_WAIT)).isEqualTo(20);
        }
        assertThat(maxBatch).isEqualTo(2);
        assertThat(maxWaiting).isGreaterThanOrEqualTo(3);
        assertThat(engine.batchSize("m")).isZero();
        assertThat(engine.waiting("m")).isZero();
    }

    @Test
    void aFullKvCacheMakesSequencesWaitAndTheGaugeFollowsTheTokensHeld() throws Exception {
        // Each request reserves 40 + 20 = 60 of 100 tokens: only one fits at a time although the batch allows 8.
        engine(config(8, 0, 5, 100, 100), "m");
        Generation first = engine.submit("m", 40, 20);
        Generation second = engine.submit("m", 40, 20);
        assertThat(first.await(30, TimeUnit.SECONDS)).isPositive();
        assertThat(engine.batchSize("m")).isEqualTo(1);
        assertThat(engine.waiting("m")).isEqualTo(1);
        SimulatedEngine.drain(first, TOKEN_WAIT);
        assertThat(SimulatedEngine.drain(second, TOKEN_WAIT)).isEqualTo(20);
        double max = kv.stream().mapToDouble(v -> v[0]).max().orElse(-1);
        // Held tokens peak at prompt + all but the last output token (the sequence leaves with its last token).
        assertThat(max).isBetween(0.55, 0.60);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (kv.get(kv.size() - 1)[0] != 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(kv.get(kv.size() - 1)[0]).isZero();
    }

    @Test
    void aCancelledSequenceLeavesTheBatchAndFreesItsSlot() throws Exception {
        engine(config(1, 0, 5, 1000, 1000), "m");
        Generation long1 = engine.submit("m", 1, 500);
        assertThat(long1.await(30, TimeUnit.SECONDS)).isPositive();
        Generation next = engine.submit("m", 1, 3);
        long1.cancel();
        assertThat(SimulatedEngine.drain(next, TOKEN_WAIT)).isEqualTo(3);
        assertThatThrownBy(() -> long1.await(1, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
    }

    @Test
    void refusesWhatCannotRunWithClearMessages() throws Exception {
        engine = new SimulatedEngine(List.of("a", "b"), config(1, 0, 1, 100, 100), KvCacheListener.NONE);
        assertThatThrownBy(() -> engine.submit("a", 1, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("still loading");
        engine.loadModel("a");
        assertThat(engine.isLoaded("a")).isTrue();
        assertThat(engine.isLoaded("b")).isFalse();
        assertThatThrownBy(() -> engine.submit("c", 1, 1)).hasMessageContaining("does not serve model 'c'")
                .hasMessageContaining("[a, b]");
        assertThatThrownBy(() -> engine.submit("a", 90, 11)).hasMessageContaining("maximum context length is 100");
        assertThatThrownBy(() -> new SimulatedEngine(List.of("a", "a"), EngineConfig.defaults(), KvCacheListener.NONE))
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> new EngineConfig(8, 1, 1, 0, 100, 200, Duration.ZERO))
                .hasMessageContaining("kvCacheTokens (100) must be >= maxModelLength (200)");
    }

    @Test
    void closingFailsWhatIsStillRunning() throws Exception {
        engine(config(1, 0, 5, 1000, 1000), "m");
        Generation running = engine.submit("m", 1, 900);
        Generation waiting = engine.submit("m", 1, 900);
        assertThat(running.await(30, TimeUnit.SECONDS)).isPositive();
        engine.close();
        assertThatThrownBy(() -> SimulatedEngine.drain(running, TOKEN_WAIT)).isInstanceOf(EngineException.class);
        assertThatThrownBy(() -> SimulatedEngine.drain(waiting, TOKEN_WAIT)).isInstanceOf(EngineException.class);
        assertThatThrownBy(() -> engine.submit("m", 1, 1)).hasMessageContaining("shut down");
    }

    @Test
    void modelLoadTakesItsTimeAndIsInterruptible() throws Exception {
        engine = new SimulatedEngine(List.of("m"), new EngineConfig(1, 0, 1, 0, 100, 100, Duration.ofMillis(300)),
                KvCacheListener.NONE);
        long start = System.nanoTime();
        engine.loadModel("m");
        assertThat((System.nanoTime() - start) / 1e6).isGreaterThanOrEqualTo(300);
        SimulatedEngine slow = new SimulatedEngine(List.of("x"),
                new EngineConfig(1, 0, 1, 0, 100, 100, Duration.ofMinutes(5)), KvCacheListener.NONE);
        Thread t = new Thread(() -> {
            try {
                slow.loadModel("x");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        t.interrupt();
        t.join(10_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(slow.isLoaded("x")).isFalse();
    }

    @Test
    void simulatedTextSaysWhatItIs() {
        String text = SimulatedText.append(new StringBuilder(), 0, 6).toString();
        assertThat(text).isEqualTo(" This is simulated output from the");
        assertThat(SimulatedText.append(new StringBuilder(), 6, 2).toString()).isEqualTo(" llm-autoscale example");
    }
}
