package dev.llmautoscale.lifecycle;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The serving lifecycle: {@code STARTING → WARMING_UP → READY → DRAINING → STOPPED}, with warm-up hooks, liveness and
 * readiness answers with reasons, and a drain that never drops an admitted request. Obtained from
 * {@code LlmAutoscale#lifecycle()}; not meant to be implemented outside this library.
 *
 * <p>Scaling has two dangerous edges and the lifecycle guards both. A new pod reports ready only after every warm-up
 * hook succeeded (a failure keeps it unready, is logged with its cause and can be retried with {@link #warmUp()}). A
 * pod being removed first reports not-ready while still serving for a pre-drain delay (Kubernetes removes endpoints
 * and sends SIGTERM in parallel, so requests keep arriving for a few seconds), then refuses new work and waits for
 * in-flight and queued work to finish.
 */
public interface InferenceLifecycle {

    /**
     * Adds a warm-up step; steps run in the order added.
     *
     * @param name a short name for logs, readiness reasons and the {@code llm_warmup_duration_seconds{hook}} gauge
     * @param timeout how long the step may take before it is interrupted and counted as failed
     * @param hook the step
     * @return this lifecycle
     * @throws IllegalStateException when warm-up already started
     */
    InferenceLifecycle addWarmupHook(String name, Duration timeout, WarmupHook hook);

    /**
     * @param listener notified on every state change
     * @return this lifecycle
     */
    InferenceLifecycle addListener(LifecycleListener listener);

    /**
     * @param name a short name for reasons
     * @param check a condition without which the process should be restarted
     * @return this lifecycle
     */
    InferenceLifecycle addLivenessCheck(String name, HealthCheck check);

    /**
     * @param name a short name for reasons
     * @param check a condition without which the server should take no traffic (such as a lost GPU)
     * @return this lifecycle
     */
    InferenceLifecycle addReadinessCheck(String name, HealthCheck check);

    /**
     * Runs the warm-up hooks that have not yet succeeded, in order (each on its own warm-up thread so its timeout can
     * be enforced). Becomes {@link LifecycleState#READY} when all succeed. On a failure the lifecycle returns to
     * {@link LifecycleState#STARTING}, the cause is logged and reported by {@link #readiness()}, and a later call
     * retries from the failed hook.
     *
     * @return whether the server is ready now
     * @throws IllegalStateException when a warm-up is already running
     */
    boolean warmUp();

    /**
     * Runs {@link #warmUp()} once on a new daemon thread named {@code llm-autoscale-warmup}.
     *
     * @return completes with whether the server became ready
     */
    CompletableFuture<Boolean> warmUpAsync();

    /**
     * Runs {@link #warmUp()} on a new daemon thread named {@code llm-autoscale-warmup}, retrying after a failure:
     * a transient cause (a GPU still initialising, a model store briefly unreachable) then heals without a restart.
     * Each retry resumes at the failed hook. Retries stop when the server is shut down meanwhile.
     *
     * @param retryDelay the pause between a failed attempt and the next
     * @param maxAttempts attempts in all, at least 1 (1 = no retry)
     * @return completes with whether the server became ready
     */
    CompletableFuture<Boolean> warmUpAsync(Duration retryDelay, int maxAttempts);

    /**
     * @return the current state
     */
    LifecycleState state();

    /**
     * Whether new requests may start: false once a drain refuses work, and when stopped. During the pre-drain delay
     * the server is not ready but still accepts work.
     *
     * @return whether to admit new work
     */
    boolean isAcceptingWork();

    /**
     * Liveness: passes unless the server is stopped or a liveness check fails.
     *
     * @return the answer with reasons
     */
    ProbeResult liveness();

    /**
     * Readiness: passes only in {@link LifecycleState#READY} with every readiness check passing.
     *
     * @return the answer with reasons (why warming up, why warm-up failed, draining, ...)
     */
    ProbeResult readiness();

    /**
     * Starts draining now: refuses new work (counted as {@code rejected}, reason {@code draining}) and waits for
     * running and queued requests to finish, up to the timeout. The state stays {@link LifecycleState#DRAINING};
     * liveness still passes, so an orchestrator does not restart the process.
     *
     * @param timeout the longest to wait
     * @return what was left
     */
    DrainResult drain(Duration timeout);

    /**
     * The full shutdown sequence for SIGTERM: report not-ready but keep serving for {@code preDrainDelay} (while load
     * balancers remove this endpoint), then refuse new work, wait up to {@code timeout} for in-flight and queued work,
     * and stop. An interrupt of the calling thread ends the pre-drain delay early (the drain then proceeds). When a
     * drain already refuses work (a {@link DrainTrigger}, {@code POST /drain}) the delay is skipped.
     *
     * @param preDrainDelay how long to keep serving while not ready
     * @param timeout how long to wait for in-flight work after the delay
     * @return what was left
     */
    DrainResult shutdown(Duration preDrainDelay, Duration timeout);

    /** Stops at once: refuses new work, liveness fails. In-flight work is not waited for. */
    void stop();

    /**
     * Installs a JVM shutdown hook (SIGTERM) that runs {@link #shutdown(Duration, Duration)} and then
     * {@code afterDrain} (for example, stopping the HTTP server). Replaces a hook installed before.
     *
     * @param preDrainDelay how long to keep serving while not ready
     * @param timeout how long to wait for in-flight work
     * @param afterDrain what to run once drained (may be {@code null})
     */
    void installShutdownHook(Duration preDrainDelay, Duration timeout, @Nullable Runnable afterDrain);

    /** Removes the hook installed by {@link #installShutdownHook}, if any and if the JVM is not shutting down. */
    void removeShutdownHook();
}
