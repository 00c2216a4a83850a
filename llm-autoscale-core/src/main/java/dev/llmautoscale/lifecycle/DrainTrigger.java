package dev.llmautoscale.lifecycle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a drain when a file appears: the guide's preStop hook runs {@code touch /tmp/shutdown} ("stop accepting new
 * requests") and then polls {@code /active_requests} until it reads 0. One daemon thread,
 * {@code llm-autoscale-drain-trigger}, looks at the file once per {@link #CHECK_INTERVAL}; nothing runs on request
 * threads. When the file appears the lifecycle drains ({@link InferenceLifecycle#drain(Duration)} without waiting):
 * readiness 503, new inferences refused with 503 ({@code rejected{reason="draining"}}), running and queued ones go on;
 * liveness and the endpoints keep answering, and the thread ends. A SIGTERM afterwards finds the server already
 * draining, so the shutdown skips its pre-drain delay. A file that appears once a shutdown (or {@code POST /drain})
 * has begun changes nothing: that sequence, pre-drain delay included, goes on.
 *
 * <p>A file that already exists when the watch starts is not a request to drain: it is left over from before this
 * process (a container restarted with {@code /tmp} on a volume, another program on a developer's machine). It is
 * logged as a warning and remembered with its modification time; the drain starts when the file is touched again (a
 * newer modification time — what the guide's {@code touch} does) or deleted and created anew.
 */
public final class DrainTrigger implements AutoCloseable {

    /** The guide's file. */
    public static final String DEFAULT_FILE = "/tmp/shutdown";
    /** How often the file is looked at. */
    public static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(DrainTrigger.class);

    private final Path file;
    private final InferenceLifecycle lifecycle;
    private final Duration interval;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final CountDownLatch fired = new CountDownLatch(1);
    private final Thread thread;
    private final boolean presentAtStart;

    private DrainTrigger(Path file, InferenceLifecycle lifecycle, Duration interval) {
        this.file = file;
        this.lifecycle = lifecycle;
        this.interval = interval;
        Stamp initial = stamp(file);
        this.presentAtStart = initial != null;
        if (presentAtStart) {
            log.warn("Drain trigger: {} already exists at startup (modified {}); it is left over from before this "
                    + "process and does not drain it. Watching for it to be touched again or created anew.", file,
                    initial.modified);
        } else {
            log.info("Drain trigger: watching {} (checked every {} ms); when it appears the server drains", file,
                    interval.toMillis());
        }
        this.thread = new Thread(() -> watch(initial), "llm-autoscale-drain-trigger");
        thread.setDaemon(true);
    }

    /**
     * Starts watching the file, checking once per {@link #CHECK_INTERVAL}.
     *
     * @param file the trigger file (absolute)
     * @param lifecycle the lifecycle to drain
     * @return the running watch; {@link #close()} ends it
     */
    public static DrainTrigger start(Path file, InferenceLifecycle lifecycle) {
        return start(file, lifecycle, CHECK_INTERVAL);
    }

    /** Starts watching with another check interval (tests). */
    static DrainTrigger start(Path file, InferenceLifecycle lifecycle, Duration interval) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(lifecycle, "lifecycle");
        if (!file.isAbsolute()) {
            throw new IllegalArgumentException("the drain trigger file must be an absolute path, got " + file);
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the check interval must be positive, got " + interval);
        }
        DrainTrigger t = new DrainTrigger(file, lifecycle, interval);
        t.thread.start();
        return t;
    }

    /**
     * Starts watching the file the settings name, if any.
     *
     * @param settings the lifecycle settings ({@link LifecycleKeys#DRAIN_TRIGGER_FILE})
     * @param lifecycle the lifecycle to drain
     * @return the running watch, or {@code null} when the settings name no file
     */
    public static @Nullable DrainTrigger start(LifecycleSettings settings, InferenceLifecycle lifecycle) {
        String f = settings.drainTriggerFile();
        return f == null ? null : start(Path.of(f), lifecycle);
    }

    /**
     * @return the file watched
     */
    public Path file() {
        return file;
    }

    /**
     * @return whether the file existed when the watch started (and was therefore not taken as a trigger)
     */
    public boolean presentAtStart() {
        return presentAtStart;
    }

    /**
     * @return whether the file started a drain (not when a shutdown or another drain had begun already)
     */
    public boolean fired() {
        return fired.getCount() == 0;
    }

    /**
     * Waits until the file started a drain.
     *
     * @param timeout the longest to wait
     * @return whether it fired within the timeout
     * @throws InterruptedException when interrupted
     */
    public boolean awaitFired(Duration timeout) throws InterruptedException {
        return fired.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Whether the watch thread still runs (tests). */
    boolean watching() {
        return thread.isAlive();
    }

    /** Stops watching (the thread ends within one check interval at most; at once when it is waiting). */
    @Override
    public void close() {
        closed.countDown();
    }

    private record Stamp(long modified, Object key) {
    }

    private static @Nullable Stamp stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            Object key = a.fileKey();
            return new Stamp(a.lastModifiedTime().toMillis(), key == null ? "" : key);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            log.debug("Drain trigger: cannot read {}: {}", file, e.toString());
            return null;
        }
    }

    private void watch(@Nullable Stamp initial) {
        Stamp previous = initial;
        try {
            while (!closed.await(interval.toNanos(), TimeUnit.NANOSECONDS)) {
                if (lifecycle.state() == LifecycleState.STOPPED) {
                    return;
                }
                Stamp now = stamp(file);
                boolean appeared = now != null && (previous == null || now.modified > previous.modified
                        || !now.key.equals(previous.key));
                previous = now;
                if (appeared) {
                    trigger();
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void trigger() {
        LifecycleState state = lifecycle.state();
        if (state == LifecycleState.DRAINING || state == LifecycleState.STOPPED) {
            // A shutdown (SIGTERM) or POST /drain began first: its own sequence, pre-drain delay included, goes on.
            log.info("Drain trigger: {} appeared; the server is already {}", file,
                    state == LifecycleState.DRAINING ? "draining" : "stopped");
            return;
        }
        log.info("Drain trigger: {} appeared; draining: readiness 503, new requests refused with 503, running "
                + "and queued requests finish", file);
        lifecycle.drain(Duration.ZERO);
        fired.countDown();
    }

    @Override
    public String toString() {
        return "DrainTrigger[" + file + (fired() ? ", fired" : "") + "]";
    }
}
