package dev.llmautoscale.examples.engine;

import dev.llmautoscale.lifecycle.InferenceLifecycle;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SIMULATED LLM engine: one scheduler thread per model runs continuous batching the way vLLM-style servers do,
 * but sleeps instead of computing.
 *
 * <p>Each step decodes one token for every sequence in the batch. Sequences waiting to run join the batch at the start
 * of a step while it has fewer than {@link EngineConfig#maxBatchSize()} sequences and the KV cache can hold their
 * prompt and maximum output; their prefill time (proportional to their prompt) is added to that step, and their first
 * token comes at its end. A step lasts {@link EngineConfig#stepNanos(int, long)}: a bigger batch makes every token a
 * little slower but raises throughput. The engine reports its KV-cache utilization (tokens held / budget) to a
 * {@link KvCacheListener} after every step that changed it.
 */
public final class SimulatedEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SimulatedEngine.class);

    private final EngineConfig config;
    private final ModelCache cache;
    private final KvCacheListener kvListener;
    private final StepTimer timer;
    private final Map<String, Runner> runners;
    private final List<String> modelOrder;
    private volatile boolean closed;

    /**
     * Creates the engine; no model is loaded yet (see {@link #loadModel(String)}).
     *
     * @param models the model names served, at least one, no duplicates
     * @param config timings and limits
     * @param kvListener receives KV-cache utilization
     */
    public SimulatedEngine(List<String> models, EngineConfig config, KvCacheListener kvListener) {
        this(models, config, ModelCache.none(), kvListener, StepTimer.REAL);
    }

    /**
     * Creates the engine with a model cache; no model is loaded yet (see {@link #loadModel(String)}).
     *
     * @param models the model names served, at least one, no duplicates
     * @param config timings and limits
     * @param cache where models are cached ({@code MODEL_DIR}); a cold cache adds its fetch time to a load
     * @param kvListener receives KV-cache utilization
     */
    public SimulatedEngine(List<String> models, EngineConfig config, ModelCache cache, KvCacheListener kvListener) {
        this(models, config, cache, kvListener, StepTimer.REAL);
    }

    /**
     * Creates the engine with its own way of spending step time (tests: a virtual clock).
     *
     * @param models the model names served, at least one, no duplicates
     * @param config timings and limits
     * @param kvListener receives KV-cache utilization
     * @param timer spends each step's duration
     */
    public SimulatedEngine(List<String> models, EngineConfig config, KvCacheListener kvListener, StepTimer timer) {
        this(models, config, ModelCache.none(), kvListener, timer);
    }

    /**
     * Creates the engine with a model cache and its own way of spending step time.
     *
     * @param models the model names served, at least one, no duplicates
     * @param config timings and limits
     * @param cache where models are cached ({@code MODEL_DIR})
     * @param kvListener receives KV-cache utilization
     * @param timer spends each step's duration
     */
    public SimulatedEngine(List<String> models, EngineConfig config, ModelCache cache, KvCacheListener kvListener,
            StepTimer timer) {
        this.config = Objects.requireNonNull(config, "config");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.kvListener = Objects.requireNonNull(kvListener, "kvListener");
        this.timer = Objects.requireNonNull(timer, "timer");
        if (models == null || models.isEmpty()) {
            throw new IllegalArgumentException("the simulated engine needs at least one model name");
        }
        Map<String, Runner> map = new LinkedHashMap<>();
        for (String m : models) {
            if (m == null || m.isBlank()) {
                throw new IllegalArgumentException("model names must not be blank: " + models);
            }
            if (map.put(m, new Runner(m)) != null) {
                throw new IllegalArgumentException("model '" + m + "' is listed twice: " + models);
            }
        }
        this.runners = Map.copyOf(map);
        this.modelOrder = List.copyOf(map.keySet());
    }

    /**
     * @return the model names, in the order given
     */
    public List<String> models() {
        return modelOrder;
    }

    /**
     * @return the configuration
     */
    public EngineConfig config() {
        return config;
    }

    /**
     * @return the model cache ({@link ModelCache#none()} without {@code MODEL_DIR})
     */
    public ModelCache cache() {
        return cache;
    }

    /**
     * @param model a model name
     * @return whether this engine serves it
     */
    public boolean serves(String model) {
        return model != null && runners.containsKey(model);
    }

    /**
     * "Loads" a model: makes sure it is in the {@link ModelCache} (a cold cache first sleeps the cache's fetch time, as
     * a download from a model hub would take), then sleeps {@link EngineConfig#modelLoadTime()} (no weights are read),
     * then starts its scheduler. Meant to run as a warm-up hook; interruptible.
     *
     * @param model the model
     * @return what the cache held before the load
     * @throws InterruptedException when interrupted (a warm-up timeout); the model stays unloaded
     */
    public ModelCache.Outcome loadModel(String model) throws InterruptedException {
        Runner r = runner(model);
        ModelCache.Outcome cached = cache.ensure(model);
        Duration load = config.modelLoadTime();
        log.info("[SIMULATED] Loading model '{}': sleeping {} ms in place of reading weights onto a GPU{}", model,
                load.toMillis(), cached == ModelCache.Outcome.NO_CACHE ? "" : " from " + cache.modelPath(model));
        Thread.sleep(load.toMillis());
        r.start();
        log.info("[SIMULATED] Model '{}' loaded (batch {}, prefill {} ms/token, decode {} ms/token,"
                + " KV cache {} tokens)", model, config.maxBatchSize(), config.prefillMillisPerToken(),
                config.decodeMillisPerToken(), config.kvCacheTokens());
        return cached;
    }

    /**
     * Runs one tiny untracked generation through a loaded model, as real servers do to compile kernels before taking
     * traffic. Meant to run as a warm-up hook after {@link #loadModel(String)}.
     *
     * @param model the model
     * @throws Exception when the generation fails or is interrupted
     */
    public void warmUp(String model) throws Exception {
        drain(submit(model, 1, 1), Duration.ofSeconds(30));
    }

    /**
     * Registers the warm-up of every model with a lifecycle, in order: {@code load-model/<model>} (the simulated load,
     * timeout twice the cold fetch plus load time, plus a minute) and {@code first-inference/<model>} (one tiny
     * generation). The server becomes ready only after all of them succeeded.
     *
     * @param lifecycle the server's lifecycle, before its warm-up runs
     */
    public void addWarmupHooks(InferenceLifecycle lifecycle) {
        Duration loadTimeout = config.modelLoadTime().plus(cache.fetchTime()).multipliedBy(2).plusMinutes(1);
        for (String m : modelOrder) {
            lifecycle.addWarmupHook("load-model/" + m, loadTimeout, () -> loadModel(m));
            lifecycle.addWarmupHook("first-inference/" + m, Duration.ofMinutes(1), () -> warmUp(m));
        }
    }

    /**
     * @param model a model name
     * @return whether its load completed
     */
    public boolean isLoaded(String model) {
        Runner r = runners.get(model);
        return r != null && r.thread != null;
    }

    /**
     * Submits a sequence. It waits for a batch slot and KV-cache space, then generates exactly {@code maxTokens}
     * tokens.
     *
     * @param model the model, which must be loaded
     * @param promptTokens prompt tokens, at least 1
     * @param maxTokens output tokens, at least 1
     * @return the handle to read tokens from
     * @throws IllegalArgumentException when the model is unknown or the request exceeds the context length
     * @throws IllegalStateException when the model is not loaded yet or the engine is closed
     */
    public Generation submit(String model, int promptTokens, int maxTokens) {
        Runner r = runner(model);
        if (promptTokens < 1 || maxTokens < 1) {
            throw new IllegalArgumentException("prompt and output must each be at least one token, got "
                    + promptTokens + " and " + maxTokens);
        }
        if ((long) promptTokens + maxTokens > config.maxModelLength()) {
            throw new IllegalArgumentException("this model's maximum context length is " + config.maxModelLength()
                    + " tokens, but the request has " + promptTokens + " prompt tokens and asks for " + maxTokens
                    + " output tokens");
        }
        if (closed) {
            throw new IllegalStateException("the simulated engine is shut down");
        }
        if (r.thread == null) {
            throw new IllegalStateException("model '" + model + "' is still loading");
        }
        Generation g = new Generation(model, promptTokens, maxTokens);
        r.waitingCount.incrementAndGet();
        r.waiting.add(g);
        LockSupport.unpark(r.thread);
        if (closed) {
            g.fail("the simulated engine shut down");
        }
        return g;
    }

    /**
     * @param model a model
     * @return sequences in its batch now
     */
    public int batchSize(String model) {
        return runner(model).batchSize;
    }

    /**
     * @param model a model
     * @return sequences waiting for a batch slot or KV-cache space
     */
    public int waiting(String model) {
        return runner(model).waitingCount.get();
    }

    /**
     * Registers the engine's own gauges, named {@code simulated_engine_*} so that nobody mistakes them for the
     * library's: {@code simulated_engine_batch_size{model}} and {@code simulated_engine_waiting_sequences{model}}.
     *
     * @param registry the registry
     */
    public void bindTo(MeterRegistry registry) {
        for (Runner r : runners.values()) {
            Gauge.builder("simulated.engine.batch.size", r, x -> x.batchSize)
                    .description("Sequences in the simulated engine's running batch (continuous batching)")
                    .tag("model", r.model)
                    .register(registry);
            Gauge.builder("simulated.engine.waiting.sequences", r, x -> x.waitingCount.get())
                    .description("Admitted sequences waiting for a batch slot or KV-cache space in the simulated"
                            + " engine")
                    .tag("model", r.model)
                    .register(registry);
        }
    }

    /** Stops every scheduler; sequences still waiting or running fail with an {@link EngineException}. */
    @Override
    public void close() {
        closed = true;
        for (Runner r : runners.values()) {
            r.stop();
        }
    }

    private Runner runner(String model) {
        Runner r = model == null ? null : runners.get(model);
        if (r == null) {
            throw new IllegalArgumentException("the simulated engine does not serve model '" + model
                    + "'; it serves " + modelOrder);
        }
        return r;
    }

    /** The scheduler of one model. Only its thread touches {@code batch} and the token accounting. */
    private final class Runner implements Runnable {
        final String model;
        final ConcurrentLinkedQueue<Generation> waiting = new ConcurrentLinkedQueue<>();
        final AtomicInteger waitingCount = new AtomicInteger();
        final List<Generation> batch = new ArrayList<>();
        volatile Thread thread;
        volatile boolean stopped;
        volatile int batchSize;
        long reservedTokens;
        long heldTokens;
        double lastReported = -1;

        Runner(String model) {
            this.model = model;
        }

        synchronized void start() {
            if (thread != null) {
                return;
            }
            Thread t = new Thread(this, "simulated-engine-" + model);
            t.setDaemon(true);
            thread = t;
            t.start();
        }

        void stop() {
            stopped = true;
            Thread t = thread;
            if (t != null) {
                LockSupport.unpark(t);
                try {
                    t.join(TimeUnit.SECONDS.toMillis(5));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else {
                failAll();
            }
        }

        @Override
        public void run() {
            report();
            while (!stopped) {
                long prefill = admit();
                if (batch.isEmpty()) {
                    report();
                    LockSupport.park(this);
                    continue;
                }
                timer.spend(model, batch.size(), config.stepNanos(batch.size(), prefill), () -> stopped);
                advance();
                report();
            }
            failAll();
        }

        /** Moves waiting sequences into the batch; returns the prompt tokens to prefill in this step. */
        private long admit() {
            long prefill = 0;
            Generation g;
            while (batch.size() < config.maxBatchSize() && (g = waiting.peek()) != null) {
                if (!g.isRunning()) {
                    waiting.poll();
                    waitingCount.decrementAndGet();
                    continue;
                }
                long reservation = (long) g.promptTokens() + g.maxTokens();
                if (reservedTokens + reservation > config.kvCacheTokens()) {
                    break; // first come, first served: wait for KV-cache space rather than overtake
                }
                waiting.poll();
                waitingCount.decrementAndGet();
                batch.add(g);
                reservedTokens += reservation;
                heldTokens += g.promptTokens();
                prefill += g.promptTokens();
            }
            batchSize = batch.size();
            return prefill;
        }

        /** One token for every sequence; removes the finished and the cancelled ones. */
        private void advance() {
            int kept = 0;
            for (int i = 0; i < batch.size(); i++) {
                Generation g = batch.get(i);
                boolean done;
                if (!g.isRunning()) {
                    done = true;
                } else {
                    heldTokens++;
                    done = g.produce();
                }
                if (done) {
                    reservedTokens -= (long) g.promptTokens() + g.maxTokens();
                    heldTokens -= (long) g.promptTokens() + g.produced();
                } else {
                    batch.set(kept++, g);
                }
            }
            for (int i = batch.size() - 1; i >= kept; i--) {
                batch.remove(i);
            }
            batchSize = batch.size();
        }

        private void report() {
            double ratio = (double) heldTokens / config.kvCacheTokens();
            if (ratio != lastReported) {
                lastReported = ratio;
                kvListener.kvCacheUtilization(model, ratio);
            }
        }

        private void failAll() {
            for (Generation g : batch) {
                g.fail("the simulated engine shut down");
            }
            batch.clear();
            batchSize = 0;
            Generation g;
            while ((g = waiting.poll()) != null) {
                waitingCount.decrementAndGet();
                g.fail("the simulated engine shut down");
            }
        }
    }

    /**
     * Waits for a generation to complete and returns its output tokens (for tests and warm-up).
     *
     * @param g the generation
     * @param perTokenTimeout the longest wait for one token
     * @return the tokens produced
     * @throws InterruptedException when interrupted
     * @throws TimeoutException when a token took too long
     */
    public static int drain(Generation g, Duration perTokenTimeout) throws InterruptedException, TimeoutException {
        int total = 0;
        int n;
        while ((n = g.await(perTokenTimeout.toNanos(), TimeUnit.NANOSECONDS)) >= 0) {
            total += n;
        }
        return total;
    }
}
