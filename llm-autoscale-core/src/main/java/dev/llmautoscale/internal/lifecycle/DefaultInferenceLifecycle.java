package dev.llmautoscale.internal.lifecycle;

import dev.llmautoscale.lifecycle.DrainResult;
import dev.llmautoscale.lifecycle.HealthCheck;
import dev.llmautoscale.lifecycle.InferenceLifecycle;
import dev.llmautoscale.lifecycle.LifecycleListener;
import dev.llmautoscale.lifecycle.LifecycleState;
import dev.llmautoscale.lifecycle.ProbeResult;
import dev.llmautoscale.lifecycle.WarmupHook;
import dev.llmautoscale.metrics.LoadSnapshot;
import dev.llmautoscale.metrics.MetricNames;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle behind {@link InferenceLifecycle}; internal: use {@code LlmAutoscale#lifecycle()}. Registers
 * {@code llm_lifecycle_state{state}} and {@code llm_warmup_duration_seconds{hook}} when bound to a registry, and reads
 * the in-flight work it drains from the {@link LoadSnapshot}.
 */
public final class DefaultInferenceLifecycle implements InferenceLifecycle, MeterBinder {

    private static final Logger log = LoggerFactory.getLogger(DefaultInferenceLifecycle.class);
    private static final long POLL_MILLIS = 10;

    private final Supplier<LoadSnapshot> load;
    private final AtomicReference<LifecycleState> state = new AtomicReference<>(LifecycleState.STARTING);
    private final List<Hook> hooks = new CopyOnWriteArrayList<>();
    private final List<LifecycleListener> listeners = new CopyOnWriteArrayList<>();
    private final List<NamedCheck> livenessChecks = new CopyOnWriteArrayList<>();
    private final List<NamedCheck> readinessChecks = new CopyOnWriteArrayList<>();
    private final AtomicBoolean warming = new AtomicBoolean();
    private final Object stateChanged = new Object();
    private volatile boolean refusingWork;
    private volatile String startingReason = "warm-up has not run yet";
    private volatile String warmingReason = "warming up";
    private volatile String drainingReason = "draining";
    private volatile @Nullable MeterRegistry registry;
    private volatile @Nullable Thread shutdownHook;

    /**
     * @param load where to read running and queued requests while draining
     */
    public DefaultInferenceLifecycle(Supplier<LoadSnapshot> load) {
        this.load = Objects.requireNonNull(load, "load");
    }

    /**
     * Adds a warm-up step; steps run in the order added.
     *
     * @param name a short name for logs, readiness reasons and the {@code llm_warmup_duration_seconds{hook}} gauge
     * @param timeout how long the step may take before it is interrupted and counted as failed
     * @param hook the step
     * @return this lifecycle
     * @throws IllegalStateException when warm-up already completed
     */
    @Override
    public DefaultInferenceLifecycle addWarmupHook(String name, Duration timeout, WarmupHook hook) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(hook, "hook");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("warm-up hook '" + name + "' needs a positive timeout, got " + timeout);
        }
        if (state.get() != LifecycleState.STARTING) {
            throw new IllegalStateException("warm-up hooks must be added before warm-up; state is " + state.get());
        }
        Hook h = new Hook(name, timeout, hook);
        hooks.add(h);
        MeterRegistry r = registry;
        if (r != null) {
            h.register(r);
        }
        return this;
    }

    /**
     * @param listener notified on every state change
     * @return this lifecycle
     */
    @Override
    public DefaultInferenceLifecycle addListener(LifecycleListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * @param name a short name for reasons
     * @param check a condition without which the process should be restarted
     * @return this lifecycle
     */
    @Override
    public DefaultInferenceLifecycle addLivenessCheck(String name, HealthCheck check) {
        livenessChecks.add(new NamedCheck(Objects.requireNonNull(name), Objects.requireNonNull(check)));
        return this;
    }

    /**
     * @param name a short name for reasons
     * @param check a condition without which the server should take no traffic (such as a lost GPU)
     * @return this lifecycle
     */
    @Override
    public DefaultInferenceLifecycle addReadinessCheck(String name, HealthCheck check) {
        readinessChecks.add(new NamedCheck(Objects.requireNonNull(name), Objects.requireNonNull(check)));
        return this;
    }

    /**
     * Runs the warm-up hooks that have not yet succeeded, in order, on the calling thread's behalf (each hook runs on
     * its own warm-up thread so its timeout can be enforced). Becomes {@link LifecycleState#READY} when all succeed.
     * On a failure the lifecycle returns to {@link LifecycleState#STARTING}, the cause is logged and reported by
     * {@link #readiness()}, and a later call retries from the failed hook.
     *
     * @return whether the server is ready now
     */
    @Override
    public boolean warmUp() {
        if (!warming.compareAndSet(false, true)) {
            throw new IllegalStateException("warm-up is already running");
        }
        try {
            if (!transition(LifecycleState.STARTING, LifecycleState.WARMING_UP)) {
                return state.get() == LifecycleState.READY;
            }
            List<Hook> all = new ArrayList<>(hooks);
            for (int i = 0; i < all.size(); i++) {
                Hook hook = all.get(i);
                if (hook.succeeded) {
                    continue;
                }
                warmingReason = "warming up: running hook '" + hook.name + "' (" + (i + 1) + " of " + all.size() + ")";
                Optional<String> failure = hook.run();
                if (failure.isPresent()) {
                    startingReason = "warm-up failed: " + failure.get() + "; waiting for a retry";
                    transition(LifecycleState.WARMING_UP, LifecycleState.STARTING);
                    return false;
                }
            }
            return transition(LifecycleState.WARMING_UP, LifecycleState.READY);
        } finally {
            warming.set(false);
        }
    }

    /**
     * Runs {@link #warmUp()} once on a new daemon thread named {@code llm-autoscale-warmup}.
     *
     * @return completes with whether the server became ready
     */
    @Override
    public CompletableFuture<Boolean> warmUpAsync() {
        return warmUpAsync(Duration.ZERO, 1);
    }

    /**
     * Runs {@link #warmUp()} on a new daemon thread named {@code llm-autoscale-warmup}, retrying after a failure:
     * a transient cause (a GPU still initialising, a model store briefly unreachable) then heals without a restart.
     * Each retry resumes at the failed hook. Retries stop when the server is shut down meanwhile.
     *
     * @param retryDelay the pause between a failed attempt and the next
     * @param maxAttempts attempts in all, at least 1 (1 = no retry)
     * @return completes with whether the server became ready
     */
    @Override
    public CompletableFuture<Boolean> warmUpAsync(Duration retryDelay, int maxAttempts) {
        Objects.requireNonNull(retryDelay, "retryDelay");
        if (retryDelay.isNegative()) {
            throw new IllegalArgumentException("warm-up retry delay must not be negative, got " + retryDelay);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("warm-up attempts must be at least 1, got " + maxAttempts);
        }
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                result.complete(warmUpWithRetries(retryDelay, maxAttempts));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "llm-autoscale-warmup");
        t.setDaemon(true);
        t.start();
        return result;
    }

    private boolean warmUpWithRetries(Duration retryDelay, int maxAttempts) {
        for (int attempt = 1; ; attempt++) {
            if (warmUp()) {
                return true;
            }
            if (attempt >= maxAttempts || state.get() != LifecycleState.STARTING) {
                return false;
            }
            log.warn("Warm-up attempt {} of {} failed; retrying in {} ms", attempt, maxAttempts, retryDelay.toMillis());
            if (!awaitRetry(retryDelay) || state.get() != LifecycleState.STARTING) {
                return false;
            }
        }
    }

    /**
     * @return the current state
     */
    @Override
    public LifecycleState state() {
        return state.get();
    }

    /**
     * Whether new requests may start: false once a drain refuses work, and when stopped. During the pre-drain delay
     * the server is not ready but still accepts work.
     *
     * @return whether to admit new work
     */
    @Override
    public boolean isAcceptingWork() {
        return !refusingWork;
    }

    /**
     * Liveness: passes unless the server is stopped or a liveness check fails.
     *
     * @return the answer with reasons
     */
    @Override
    public ProbeResult liveness() {
        LifecycleState s = state.get();
        List<String> reasons = new ArrayList<>();
        if (s == LifecycleState.STOPPED) {
            reasons.add("stopped");
        }
        collect(livenessChecks, reasons);
        return new ProbeResult(reasons.isEmpty(), s, reasons);
    }

    /**
     * Readiness: passes only in {@link LifecycleState#READY} with every readiness check passing.
     *
     * @return the answer with reasons (why warming up, why warm-up failed, draining, ...)
     */
    @Override
    public ProbeResult readiness() {
        LifecycleState s = state.get();
        List<String> reasons = new ArrayList<>();
        switch (s) {
            case STARTING:
                reasons.add(startingReason);
                break;
            case WARMING_UP:
                reasons.add(warmingReason);
                break;
            case DRAINING:
                reasons.add(drainingReason);
                break;
            case STOPPED:
                reasons.add("stopped");
                break;
            default:
                break;
        }
        collect(readinessChecks, reasons);
        return new ProbeResult(reasons.isEmpty(), s, reasons);
    }

    private static void collect(List<NamedCheck> checks, List<String> reasons) {
        for (NamedCheck check : checks) {
            try {
                check.check.problem().ifPresent(p -> reasons.add(check.name + ": " + p));
            } catch (RuntimeException e) {
                reasons.add(check.name + ": check failed: " + e);
            }
        }
    }

    /**
     * Starts draining now: refuses new work (counted as {@code rejected}, reason {@code draining}) and waits for
     * running and queued requests to finish, up to the timeout. The state stays {@link LifecycleState#DRAINING};
     * liveness still passes, so an orchestrator does not restart the process.
     *
     * @param timeout the longest to wait
     * @return what was left
     */
    @Override
    public DrainResult drain(Duration timeout) {
        enterDraining("draining: refusing new requests");
        refusingWork = true;
        return awaitIdle(timeout);
    }

    /**
     * The full shutdown sequence for SIGTERM: report not-ready but keep serving for {@code preDrainDelay} (while load
     * balancers remove this endpoint), then refuse new work, wait up to {@code timeout} for in-flight and queued work,
     * and stop. When a drain already refuses work (a drain trigger, {@code POST /drain}) the delay is skipped.
     *
     * @param preDrainDelay how long to keep serving while not ready
     * @param timeout how long to wait for in-flight work after the delay
     * @return what was left
     */
    @Override
    public DrainResult shutdown(Duration preDrainDelay, Duration timeout) {
        Objects.requireNonNull(preDrainDelay, "preDrainDelay");
        if (state.get() == LifecycleState.STOPPED) {
            LoadSnapshot now = load.get();
            return new DrainResult(true, now.running(), now.queued(), Duration.ZERO);
        }
        if (refusingWork) {
            // A drain began before SIGTERM (the drain trigger file, POST /drain): the endpoint is long gone.
            log.info("Shutdown: already draining; no pre-drain delay");
        } else {
            enterDraining("draining: pre-drain delay of " + preDrainDelay.toMillis()
                    + " ms, still serving while endpoints are removed");
            log.info("Shutdown: not ready; serving for {} ms more while load balancers remove this endpoint",
                    preDrainDelay.toMillis());
            sleep(preDrainDelay.toMillis());
            drainingReason = "draining: refusing new requests";
            refusingWork = true;
        }
        DrainResult result = awaitIdle(timeout);
        if (result.drained()) {
            log.info("Shutdown: drained in {} ms", result.waited().toMillis());
        } else {
            log.warn("Shutdown: drain timed out after {} ms with {} running and {} queued requests left",
                    result.waited().toMillis(), result.remainingRunning(), result.remainingQueued());
        }
        stop();
        return result;
    }

    /** Stops at once: refuses new work, liveness fails. In-flight work is not waited for. */
    @Override
    public void stop() {
        refusingWork = true;
        LifecycleState from = state.getAndSet(LifecycleState.STOPPED);
        if (from != LifecycleState.STOPPED) {
            fire(from, LifecycleState.STOPPED);
        }
    }

    /**
     * Installs a JVM shutdown hook (SIGTERM) that runs {@link #shutdown(Duration, Duration)} and then
     * {@code afterDrain} (for example, stopping the HTTP server). Replaces a hook installed before.
     *
     * @param preDrainDelay how long to keep serving while not ready
     * @param timeout how long to wait for in-flight work
     * @param afterDrain what to run once drained (may be {@code null})
     */
    @Override
    public synchronized void installShutdownHook(Duration preDrainDelay, Duration timeout,
            @Nullable Runnable afterDrain) {
        removeShutdownHook();
        Thread hook = new Thread(() -> {
            shutdown(preDrainDelay, timeout);
            if (afterDrain != null) {
                try {
                    afterDrain.run();
                } catch (RuntimeException e) {
                    log.warn("Shutdown: the after-drain action failed", e);
                }
            }
        }, "llm-autoscale-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        shutdownHook = hook;
    }

    /** Removes the hook installed by {@link #installShutdownHook}, if any and if the JVM is not shutting down. */
    @Override
    public synchronized void removeShutdownHook() {
        Thread hook = shutdownHook;
        shutdownHook = null;
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to run; nothing to remove
            }
        }
    }

    private void enterDraining(String reason) {
        drainingReason = reason;
        while (true) {
            LifecycleState s = state.get();
            if (s == LifecycleState.DRAINING || s == LifecycleState.STOPPED) {
                return;
            }
            if (transition(s, LifecycleState.DRAINING)) {
                return;
            }
        }
    }

    private DrainResult awaitIdle(Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        LoadSnapshot now = load.get();
        while (now.inFlight() > 0 && System.nanoTime() - deadline < 0) {
            if (!sleep(POLL_MILLIS)) {
                break;
            }
            now = load.get();
        }
        int running = now.running();
        int queued = now.queued();
        return new DrainResult(running + queued == 0, running, queued, Duration.ofNanos(System.nanoTime() - start));
    }

    /** Waits out a retry delay; a state change (a shutdown) ends the wait early. */
    private boolean awaitRetry(Duration delay) {
        long deadline = System.nanoTime() + delay.toNanos();
        synchronized (stateChanged) {
            while (state.get() == LifecycleState.STARTING) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(stateChanged, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return false;
    }

    private static boolean sleep(long millis) {
        if (millis <= 0) {
            return true;
        }
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean transition(LifecycleState from, LifecycleState to) {
        if (!state.compareAndSet(from, to)) {
            return false;
        }
        fire(from, to);
        return true;
    }

    private void fire(LifecycleState from, LifecycleState to) {
        log.info("Lifecycle: {} -> {}", from, to);
        synchronized (stateChanged) {
            stateChanged.notifyAll();
        }
        for (LifecycleListener listener : listeners) {
            try {
                listener.onStateChange(from, to);
            } catch (RuntimeException e) {
                log.warn("Lifecycle listener {} failed on {} -> {}", listener, from, to, e);
            }
        }
    }

    /**
     * @return the installed shutdown hook's thread, or {@code null}; for tests
     */
    @Nullable Thread shutdownHookThread() {
        return shutdownHook;
    }

    /**
     * Registers {@code llm_lifecycle_state{state}} and {@code llm_warmup_duration_seconds{hook}}.
     *
     * @param meterRegistry the registry
     */
    @Override
    public void bindTo(MeterRegistry meterRegistry) {
        this.registry = meterRegistry;
        for (LifecycleState s : LifecycleState.values()) {
            Gauge.builder(MetricNames.LIFECYCLE_STATE, state, ref -> ref.get() == s ? 1 : 0)
                    .description("1 for the current lifecycle state of the inference server, 0 for the others")
                    .tag("state", s.label())
                    .register(meterRegistry);
        }
        for (Hook h : hooks) {
            h.register(meterRegistry);
        }
    }

    private record NamedCheck(String name, HealthCheck check) {
    }

    private static final class Hook {
        final String name;
        final Duration timeout;
        final WarmupHook action;
        volatile boolean succeeded;
        volatile double lastDurationNanos = Double.NaN;

        Hook(String name, Duration timeout, WarmupHook action) {
            this.name = name;
            this.timeout = timeout;
            this.action = action;
        }

        void register(MeterRegistry r) {
            TimeGauge.builder(MetricNames.WARMUP_DURATION, this, TimeUnit.NANOSECONDS, h -> h.lastDurationNanos)
                    .description("How long the last run of each warm-up hook (model load, first inference) took")
                    .tag("hook", name)
                    .register(r);
        }

        Optional<String> run() {
            log.info("Warm-up: running '{}' (timeout {} ms)", name, timeout.toMillis());
            long start = System.nanoTime();
            FutureTask<Void> task = new FutureTask<>(() -> {
                action.warmUp();
                return null;
            });
            Thread t = new Thread(task, "llm-autoscale-warmup-" + name);
            t.setDaemon(true);
            t.start();
            try {
                task.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
                lastDurationNanos = System.nanoTime() - start;
                succeeded = true;
                log.info("Warm-up: '{}' done in {} ms", name, Math.round(lastDurationNanos / 1e6));
                return Optional.empty();
            } catch (TimeoutException e) {
                task.cancel(true);
                lastDurationNanos = System.nanoTime() - start;
                String why = "hook '" + name + "' timed out after " + timeout.toMillis() + " ms";
                log.error("Warm-up: {}; the server stays unready", why);
                return Optional.of(why);
            } catch (ExecutionException e) {
                lastDurationNanos = System.nanoTime() - start;
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                String why = "hook '" + name + "' failed: " + cause;
                log.error("Warm-up: {}; the server stays unready", why, cause);
                return Optional.of(why);
            } catch (InterruptedException e) {
                task.cancel(true);
                Thread.currentThread().interrupt();
                return Optional.of("hook '" + name + "' interrupted");
            }
        }
    }
}
