package dev.llmautoscale.spring.lifecycle;

import dev.llmautoscale.lifecycle.DrainResult;
import dev.llmautoscale.lifecycle.InferenceLifecycle;
import dev.llmautoscale.lifecycle.LifecycleState;
import dev.llmautoscale.lifecycle.WarmupHook;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.support.DefaultLifecycleProcessor;

/**
 * Joins the inference lifecycle to the application context's.
 *
 * <p><b>Start.</b> When the context starts (after the embedded web server, so liveness is served meanwhile), every
 * {@link WarmupHook} bean is added as a warm-up step, in bean order, and warm-up runs on its own thread. The server
 * is not ready until every step succeeded; {@link ReadinessStateBridge} keeps Spring Boot's readiness state in step.
 *
 * <p><b>Stop.</b> This bean's phase, {@link #PHASE}, is above the web server's graceful shutdown phase
 * ({@code WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE}), so on context close it stops first: readiness turns
 * to {@code REFUSING_TRAFFIC} while requests are still served for the pre-drain delay (load balancers remove the
 * endpoint meanwhile), then new inferences are refused and in-flight and queued ones are waited for, up to the drain
 * timeout. Only then does the web server's graceful shutdown begin. The shutdown timeout of this phase is raised to
 * cover the delay plus the drain timeout.
 */
public final class InferenceServingLifecycle implements SmartLifecycle {

    /** The phase: stops before the web server's graceful shutdown ({@code DEFAULT_PHASE - 1024}) begins. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    private static final Logger log = LoggerFactory.getLogger(InferenceServingLifecycle.class);
    private static final long PHASE_TIMEOUT_MARGIN_MILLIS = 5_000;
    private static final String SHUTDOWN_PHASE_TIMEOUT_PROPERTY = "spring.lifecycle.timeout-per-shutdown-phase";

    private final InferenceLifecycle lifecycle;
    private final ApplicationContext context;
    private final Duration defaultWarmupTimeout;
    private final int warmupAttempts;
    private final Duration warmupRetryDelay;
    private final Duration preDrainDelay;
    private final Duration drainTimeout;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean hooksAdded = new AtomicBoolean();
    private volatile CompletableFuture<Boolean> warmup = CompletableFuture.completedFuture(false);
    private volatile @Nullable DrainResult lastDrain;

    /**
     * @param lifecycle the core lifecycle
     * @param context where the warm-up hook beans and the lifecycle processor are found
     * @param defaultWarmupTimeout the timeout of hooks that set none
     * @param preDrainDelay how long to keep serving while not ready, on stop
     * @param drainTimeout how long to wait for in-flight work after the delay
     */
    public InferenceServingLifecycle(InferenceLifecycle lifecycle, ApplicationContext context,
            Duration defaultWarmupTimeout, Duration preDrainDelay, Duration drainTimeout) {
        this(lifecycle, context, defaultWarmupTimeout, 1, Duration.ZERO, preDrainDelay, drainTimeout);
    }

    /**
     * @param lifecycle the core lifecycle
     * @param context where the warm-up hook beans and the lifecycle processor are found
     * @param defaultWarmupTimeout the timeout of hooks that set none
     * @param warmupAttempts warm-up attempts in all (1 = no retry)
     * @param warmupRetryDelay the pause between attempts
     * @param preDrainDelay how long to keep serving while not ready, on stop
     * @param drainTimeout how long to wait for in-flight work after the delay
     */
    public InferenceServingLifecycle(InferenceLifecycle lifecycle, ApplicationContext context,
            Duration defaultWarmupTimeout, int warmupAttempts, Duration warmupRetryDelay, Duration preDrainDelay,
            Duration drainTimeout) {
        this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
        this.warmupAttempts = warmupAttempts;
        this.warmupRetryDelay = Objects.requireNonNull(warmupRetryDelay, "warmupRetryDelay");
        this.context = Objects.requireNonNull(context, "context");
        this.defaultWarmupTimeout = Objects.requireNonNull(defaultWarmupTimeout, "defaultWarmupTimeout");
        this.preDrainDelay = Objects.requireNonNull(preDrainDelay, "preDrainDelay");
        this.drainTimeout = Objects.requireNonNull(drainTimeout, "drainTimeout");
    }

    /** Adds the warm-up hook beans and starts warm-up on its own thread. */
    @Override
    public void start() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        raiseShutdownPhaseTimeout();
        if (lifecycle.state() != LifecycleState.STARTING) {
            return; // a restarted context, or a lifecycle already warmed up by the application itself
        }
        if (hooksAdded.compareAndSet(false, true)) {
            for (InferenceWarmup step : warmupSteps(context, defaultWarmupTimeout)) {
                lifecycle.addWarmupHook(step.name(), step.timeout(), step.hook());
            }
        }
        warmup = lifecycle.warmUpAsync(warmupRetryDelay, warmupAttempts);
    }

    /**
     * The warm-up steps declared as beans, in bean order: {@link InferenceWarmup} beans with their own name, other
     * {@link WarmupHook} beans under their bean name.
     *
     * @param beans where to look
     * @param defaultTimeout the timeout of steps that set none
     * @return the steps
     */
    static List<InferenceWarmup> warmupSteps(ListableBeanFactory beans, Duration defaultTimeout) {
        Map<WarmupHook, String> names = new IdentityHashMap<>();
        beans.getBeansOfType(WarmupHook.class).forEach((name, hook) -> names.put(hook, name));
        List<InferenceWarmup> steps = new ArrayList<>();
        beans.getBeanProvider(WarmupHook.class).orderedStream().forEach(hook -> {
            if (hook instanceof InferenceWarmup w) {
                steps.add(w.timeout() != null ? w : new InferenceWarmup(w.name(), defaultTimeout, w.hook()));
            } else {
                steps.add(new InferenceWarmup(names.getOrDefault(hook, hook.getClass().getSimpleName()),
                        defaultTimeout, hook));
            }
        });
        return steps;
    }

    /**
     * Gives this bean's shutdown phase time for the pre-drain delay plus the drain timeout, never less than the
     * application's {@code spring.lifecycle.timeout-per-shutdown-phase}.
     */
    private void raiseShutdownPhaseTimeout() {
        if (context.containsBean(AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME)) {
            Object processor = context.getBean(AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME);
            if (processor instanceof DefaultLifecycleProcessor p) {
                long needed = preDrainDelay.toMillis() + drainTimeout.toMillis() + PHASE_TIMEOUT_MARGIN_MILLIS;
                long configured = Binder.get(context.getEnvironment())
                        .bind(SHUTDOWN_PHASE_TIMEOUT_PROPERTY, Duration.class).map(Duration::toMillis).orElse(0L);
                p.setTimeoutForShutdownPhase(PHASE, Math.max(needed, configured));
            }
        }
    }

    /** Drains synchronously (used only when the context is stopped without a callback). */
    @Override
    public void stop() {
        if (running.compareAndSet(true, false)) {
            drain();
        }
    }

    /** Drains on a separate thread and then lets the lower phases (the web server's graceful shutdown) continue. */
    @Override
    public void stop(Runnable callback) {
        if (!running.compareAndSet(true, false)) {
            callback.run();
            return;
        }
        Thread t = new Thread(() -> {
            try {
                drain();
            } catch (RuntimeException | Error e) {
                log.error("Drain failed; the web server shuts down now", e);
            } finally {
                callback.run();
            }
        }, "llm-autoscale-drain");
        t.setDaemon(true);
        t.start();
    }

    private void drain() {
        // Load balancers only route to a ready server: one that never became ready needs no pre-drain delay.
        Duration delay = lifecycle.state() == LifecycleState.READY ? preDrainDelay : Duration.ZERO;
        DrainResult result = lifecycle.shutdown(delay, drainTimeout);
        lastDrain = result;
    }

    @Override
    public boolean isRunning() {
        return running.get();
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** Pausing the context (for a checkpoint) must not drain the server. */
    @Override
    public boolean isPauseable() {
        return false;
    }

    /**
     * @return the running (or last) warm-up: completes with whether the server became ready
     */
    public CompletableFuture<Boolean> warmup() {
        return warmup;
    }

    /**
     * @return the result of the drain on stop, once it happened
     */
    public Optional<DrainResult> lastDrain() {
        return Optional.ofNullable(lastDrain);
    }

    /**
     * @return the pre-drain delay applied when the server was ready
     */
    public Duration preDrainDelay() {
        return preDrainDelay;
    }

    /**
     * @return the drain timeout
     */
    public Duration drainTimeout() {
        return drainTimeout;
    }
}
