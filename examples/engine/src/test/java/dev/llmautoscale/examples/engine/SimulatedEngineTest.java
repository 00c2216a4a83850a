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
    private static final long MS = 1_000_000;
    private SimulatedEngine engine;
    private final List<double[]> kv = new CopyOnWriteArrayList<>();
    private final VirtualSteps clock = new VirtualSteps();

    /** An engine on the virtual clock: step durations are recorded, never waited for. */
    private SimulatedEngine engine(EngineConfig config, String... models) throws InterruptedException {
        engine = new SimulatedEngine(List.of(models), config, (m, r) -> kv.add(new double[] {r}), clock);
        for (String m : models) {
            engine.loadModel(m);
        }
        return engine;
    }

    /** An engine on real time, for tests that need a sequence to last while they act on it. */
    private SimulatedEngine realEngine(EngineConfig config, String model) throws InterruptedException {
        engine = new SimulatedEngine(List.of(model), config, KvCacheListener.NONE);
        engine.loadModel(model);
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
        assertThat(SimulatedEngine.drain(engine.submit("m", 10, 1), TOKEN_WAIT)).isEqualTo(1);
        assertThat(SimulatedEngine.drain(engine.submit("m", 1000, 1), TOKEN_WAIT)).isEqualTo(1);
        // one step each (one output token): 5 ms of decode plus 1 ms per prompt token, charged to the joining step
        assertThat(clock.steps).containsExactly(new VirtualSteps.Step(1, 15 * MS), new VirtualSteps.Step(1, 1005 * MS));
    }

    @Test
    void decodeTakesOneStepPerTokenAndABatchSlowsEachToken() throws Exception {
        EngineConfig cfg = new EngineConfig(8, 0, 10, 0.25, 4000, 2000, Duration.ZERO);
        engine(cfg, "m");
        SimulatedEngine.drain(engine.submit("m", 1, 40), TOKEN_WAIT);
        assertThat(clock.steps).hasSize(40).allMatch(st -> st.batch() == 1 && st.nanos() == 10 * MS);
        long alone = clock.totalNanos();
        clock.steps.clear();

        // the first sequence runs its first step alone (held there), the seven others join at the second step
        clock.close();
        List<Generation> batch = new ArrayList<>();
        batch.add(engine.submit("m", 1, 40));
        clock.awaitHeld();
        for (int i = 1; i < 8; i++) {
            batch.add(engine.submit("m", 1, 40));
        }
        clock.open();
        int total = 0;
        for (Generation g : batch) {
            total += SimulatedEngine.drain(g, TOKEN_WAIT);
        }
        assertThat(total).isEqualTo(320);
        // step = 10 ms * (1 + 0.25 * (batch - 1)): 8 sequences decode in 41 steps, each token 2.75x slower
        assertThat(clock.steps).hasSize(41);
        assertThat(clock.steps.get(0)).isEqualTo(new VirtualSteps.Step(1, 10 * MS));
        assertThat(clock.steps.subList(1, 40)).allMatch(st -> st.batch() == 8 && st.nanos() == 27_500_000L);
        assertThat(clock.steps.get(40)).isEqualTo(new VirtualSteps.Step(7, 25 * MS));
        // continuous batching: 8 sequences take far less than 8 times one
        assertThat(clock.totalNanos()).isEqualTo(1_107_500_000L).isLessThan(alone * 3);
    }

    @Test
    void theBatchNeverExceedsItsMaximumAndTheRestWait() throws Exception {
        engine(config(2, 0, 5, 1000, 500), "m");
        clock.close();
        List<Generation> all = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            all.add(engine.submit("m", 1, 20));
        }
        clock.awaitHeld(); // a step is under way: nothing joins or leaves until it ends
        assertThat(engine.batchSize("m")).isBetween(1, 2);
        assertThat(engine.batchSize("m") + engine.waiting("m")).isEqualTo(6);
        assertThat(engine.waiting("m")).isGreaterThanOrEqualTo(4);
        clock.open();
        for (Generation g : all) {
            assertThat(SimulatedEngine.drain(g, TOKEN_WAIT)).isEqualTo(20);
        }
        assertThat(clock.steps).allMatch(st -> st.batch() <= 2);
        assertThat(clock.steps.stream().mapToInt(VirtualSteps.Step::batch).sum()).as("token steps").isEqualTo(120);
        awaitIdle();
    }

    @Test
    void aFullKvCacheMakesSequencesWaitAndTheGaugeFollowsTheTokensHeld() throws Exception {
        // Each request reserves 40 + 20 = 60 of 100 tokens: only one fits at a time although the batch allows 8.
        engine(config(8, 0, 5, 100, 100), "m");
        clock.close();
        Generation first = engine.submit("m", 40, 20);
        Generation second = engine.submit("m", 40, 20);
        clock.awaitHeld();
        assertThat(engine.batchSize("m")).isEqualTo(1);
        assertThat(engine.waiting("m")).isEqualTo(1);
        clock.open();
        assertThat(SimulatedEngine.drain(first, TOKEN_WAIT)).isEqualTo(20);
        assertThat(SimulatedEngine.drain(second, TOKEN_WAIT)).isEqualTo(20);
        assertThat(clock.steps).hasSize(40).allMatch(st -> st.batch() == 1);
        double max = kv.stream().mapToDouble(v -> v[0]).max().orElse(-1);
        // Held tokens peak at prompt + all but the last output token (the sequence leaves with its last token).
        assertThat(max).isEqualTo(0.59);
        awaitIdle();
        assertThat(kv.get(kv.size() - 1)[0]).isZero();
    }

    /** Waits until the scheduler reported an empty engine (it reports after the step that emptied it). */
    private void awaitIdle() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((engine.batchSize("m") + engine.waiting("m") > 0 || kv.get(kv.size() - 1)[0] != 0)
                && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertThat(engine.batchSize("m")).isZero();
        assertThat(engine.waiting("m")).isZero();
    }

    @Test
    void aCancelledSequenceLeavesTheBatchAndFreesItsSlot() throws Exception {
        realEngine(config(1, 0, 5, 1000, 1000), "m");
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
        realEngine(config(1, 0, 5, 1000, 1000), "m");
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
