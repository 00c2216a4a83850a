package dev.llmautoscale.internal.admission;

import dev.llmautoscale.admission.AdmissionLimits;
import dev.llmautoscale.admission.AdmissionRejectedException;
import dev.llmautoscale.admission.RejectionReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Admission control: at most {@link AdmissionLimits#maxConcurrency()} inferences run at once, and at most a
 * model's own limit of one model; requests that cannot run wait in a bounded FIFO for at most
 * {@link AdmissionLimits#maxQueueWait()}. Internal: reached through the tracker.
 *
 * <p><b>Rule.</b> A request that could run now (a global slot and a slot of its model are free, and no older request
 * of its model waits) runs at once and never counts as queued; only a request that cannot run takes a place in the
 * queue, so a saturated model's waiters can never cause a refusal of a model with free slots. Waiters of one model
 * are admitted in arrival order; a waiter blocked by its model's limit never blocks another model's waiter; among
 * waiters that can run, the oldest goes first.
 *
 * <p><b>Paths.</b> When nobody waits, a slot is taken with at most two compare-and-sets and no lock or allocation
 * ({@link #tryAcquire}). Otherwise the request goes through {@link #enqueue}: under one lock, held for a few field
 * updates and never while waiting, it is linked into its model's FIFO, every waiter that can run is admitted (it
 * included), and it is refused ({@code queue_full}) only if it is still waiting and the queue is over capacity — a
 * decision taken on occupancy read under that lock after the admissions, so no request is refused while a slot it
 * could take is free. Nothing waits on a thread: a waiter is told through its {@link Waiter}, timeouts come from one
 * shared timer thread, and {@link #release} hands freed slots to waiters.
 */
public final class AdmissionController implements AutoCloseable {

    private static final Lane[] NO_LANES = new Lane[0];

    private final AdmissionLimits limits;
    private final boolean enabled;
    private final int globalLimit;
    private final long maxWaitNanos;
    private final Consumer<Refusal> observer;
    /** Global slots taken (the permit count of the global limit); the figures come from the lanes. */
    private final AtomicInteger globalTaken = new AtomicInteger();
    private final ConcurrentHashMap<String, Lane> lanesByLabel = new ConcurrentHashMap<>();
    private volatile Lane[] lanes = NO_LANES;
    private final ReentrantLock lock = new ReentrantLock();
    /** Per thread: [0] telling admitted waiters now, [1] a slot was released meanwhile (dispatch again). */
    private final ThreadLocal<boolean[]> completing = ThreadLocal.withInitial(() -> new boolean[2]);
    /** Requests in the queue, all models; written under {@link #lock}, read without it to pick the path. */
    private volatile int waiters;
    private long seq;
    private boolean closed;
    private @Nullable ScheduledThreadPoolExecutor timer;

    /**
     * @param limits the settings
     */
    public AdmissionController(AdmissionLimits limits) {
        this(limits, refusal -> { });
    }

    /**
     * @param limits the settings
     * @param observer told of every refusal by the queue (full or timed out), under the queue's lock, with the
     *     occupancy the decision was based on; must be quick and must not call back into the controller
     */
    public AdmissionController(AdmissionLimits limits, Consumer<Refusal> observer) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.enabled = limits.enabled();
        this.globalLimit = limits.enabled() ? limits.maxConcurrency() : 0;
        this.maxWaitNanos = limits.maxQueueWait().toNanos();
    }

    /**
     * The lane of a model label value, created on first use. Label values are bounded by the cardinality guard of
     * the caller.
     *
     * @param label the model label value
     * @return its lane
     */
    public Lane lane(String label) {
        Lane l = lanesByLabel.get(label);
        return l != null ? l : lanesByLabel.computeIfAbsent(label, this::newLane);
    }

    private Lane newLane(String label) {
        Integer own = enabled ? limits.perModelMaxConcurrency().get(label) : null;
        Lane l = new Lane(label, own == null ? 0 : own);
        synchronized (lanesByLabel) {
            Lane[] copy = Arrays.copyOf(lanes, lanes.length + 1);
            copy[copy.length - 1] = l;
            lanes = copy;
        }
        return l;
    }

    /**
     * Takes a slot at once if nobody waits and one is free: lock-free, allocation-free. On success the request is
     * counted as running.
     *
     * @param lane the request's model
     * @return whether the request was admitted; when not, call {@link #enqueue}
     */
    public boolean tryAcquire(Lane lane) {
        if (!enabled) {
            lane.running.incrementAndGet();
            return true;
        }
        if (waiters != 0 || !takeGlobal()) {
            return false;
        }
        if (!lane.takeSlot()) {
            giveBackGlobal();
            return false;
        }
        return true;
    }

    /**
     * Queues a request that {@link #tryAcquire} could not admit. The outcome reaches the entry's {@link Waiter},
     * possibly before this method returns (admitted at once, or refused because the queue is full).
     *
     * @param entry the request
     */
    public void enqueue(QueueEntry entry) {
        List<QueueEntry> admitted;
        AdmissionRejectedException refused = null;
        lock.lock();
        try {
            if (closed) {
                refused = closedRefusal(entry.lane);
                admitted = null;
            } else {
                entry.seq = ++seq;
                entry.enqueuedNanos = System.nanoTime();
                link(entry);
                admitted = dispatch(null);
                while (entry.linked) {
                    boolean overCapacity = waiters > limits.queueCapacity();
                    if (!overCapacity && maxWaitNanos > 0) {
                        entry.timeout = timer().schedule(() -> timedOut(entry), maxWaitNanos, TimeUnit.NANOSECONDS);
                        break;
                    }
                    refused = refuseIfFull(entry, overCapacity ? RejectionReason.QUEUE_FULL
                            : RejectionReason.QUEUE_TIMEOUT);
                    if (refused != null) {
                        break;
                    }
                    // A slot was freed after the admissions above (a release without the lock): admit again.
                    admitted = dispatch(admitted);
                }
            }
        } finally {
            lock.unlock();
        }
        complete(admitted);
        if (refused != null) {
            entry.waiter.refused(refused);
        }
    }

    /**
     * Takes a queued request out of the queue because its caller went away. Nothing is counted.
     *
     * @param entry the request
     * @return whether it was still waiting (and is now gone); {@code false} when it was already admitted or refused,
     *     and its {@link Waiter} has been or will be told
     */
    public boolean abandon(QueueEntry entry) {
        boolean removed;
        lock.lock();
        try {
            removed = entry.linked;
            if (removed) {
                unlink(entry);
            }
        } finally {
            lock.unlock();
        }
        ScheduledFuture<?> timeout = entry.timeout;
        if (removed && timeout != null) {
            timeout.cancel(false);
        }
        return removed;
    }

    /**
     * Gives back the slots of a request admitted by {@link #tryAcquire} or {@link #enqueue}, and counts it as no
     * longer running; hands them to the waiters that can use them.
     *
     * @param lane the request's model
     */
    public void release(Lane lane) {
        lane.running.decrementAndGet();
        if (!enabled) {
            return;
        }
        if (globalLimit > 0) {
            globalTaken.decrementAndGet();
        }
        if (waiters != 0) {
            dispatchAndComplete();
        }
    }

    /**
     * The refusal of a request while the server drains (not counted here).
     *
     * @param label the model label value
     * @return the exception, with the drain retry hint
     */
    public AdmissionRejectedException draining(String label) {
        return exception(label, RejectionReason.DRAINING, "the server is draining and takes no new requests");
    }

    /**
     * @return the lanes of every model label value seen, in order of first use
     */
    public Lane[] lanes() {
        return lanes.clone();
    }

    /**
     * @return the settings
     */
    public AdmissionLimits limits() {
        return limits;
    }

    /**
     * @return global slots taken now (equal to the running requests of all models when admission is on)
     */
    public int globalTaken() {
        return globalTaken.get();
    }

    /** Refuses every waiting request and stops the timeout thread. Running requests keep their slots. */
    @Override
    public void close() {
        List<QueueEntry> gone = new ArrayList<>();
        ScheduledThreadPoolExecutor t;
        lock.lock();
        try {
            closed = true;
            for (Lane l : lanes) {
                for (QueueEntry e = l.head; e != null; e = l.head) {
                    unlink(e);
                    gone.add(e);
                }
            }
            t = timer;
            timer = null;
        } finally {
            lock.unlock();
        }
        if (t != null) {
            t.shutdownNow();
        }
        for (QueueEntry e : gone) {
            e.waiter.refused(closedRefusal(e.lane));
        }
    }

    /**
     * Under the lock: refuses {@code entry} only while a slot it needs is taken (recording the occupancy), else
     * leaves it queued so that the caller admits again.
     *
     * @return the refusal to deliver after unlocking, or {@code null} when a slot it could take is free
     */
    private @Nullable AdmissionRejectedException refuseIfFull(QueueEntry entry, RejectionReason reason) {
        Refusal r = occupancy(entry, reason);
        if (!r.globalFull() && !r.modelFull()) {
            return null;
        }
        unlink(entry);
        observer.accept(r);
        return rejection(r);
    }

    private void timedOut(QueueEntry entry) {
        List<QueueEntry> admitted;
        AdmissionRejectedException refused = null;
        lock.lock();
        try {
            admitted = dispatch(null);
            while (entry.linked) {
                refused = refuseIfFull(entry, RejectionReason.QUEUE_TIMEOUT);
                if (refused != null) {
                    break;
                }
                admitted = dispatch(admitted);
            }
        } finally {
            lock.unlock();
        }
        complete(admitted);
        if (refused != null) {
            entry.waiter.refused(refused);
        }
    }

    private void dispatchAndComplete() {
        boolean[] c = completing.get();
        if (c[0]) {
            // a continuation of an admission released a slot: the admitting loop below this frame dispatches again,
            // so a chain of continuations that end at once runs as a loop, not as a recursion
            c[1] = true;
            return;
        }
        complete(lockedDispatch());
    }

    private @Nullable List<QueueEntry> lockedDispatch() {
        lock.lock();
        try {
            return dispatch(null);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Admits waiters while a global slot is free: each time the oldest head among the lanes whose model has a free
     * slot. Under the lock. The request counts as running before it leaves the queue, so a drain never sees an
     * admitted request as neither queued nor running.
     */
    private @Nullable List<QueueEntry> dispatch(@Nullable List<QueueEntry> into) {
        List<QueueEntry> out = into;
        while (waiters > 0) {
            QueueEntry best = null;
            for (Lane l : lanes) {
                QueueEntry h = l.head;
                if (h != null && l.hasFreeSlot() && (best == null || h.seq < best.seq)) {
                    best = h;
                }
            }
            if (best == null || !takeGlobal()) {
                break;
            }
            if (!best.lane.takeSlot()) {
                // taken by a request on the lock-free path between the check and here
                if (globalLimit > 0) {
                    globalTaken.decrementAndGet();
                }
                continue;
            }
            best.waitedNanos = Math.max(0, System.nanoTime() - best.enqueuedNanos);
            unlink(best);
            if (out == null) {
                out = new ArrayList<>(4);
            }
            out.add(best);
        }
        return out;
    }

    /** Tells admitted waiters, outside the lock; dispatches again for slots their continuations released. */
    private void complete(@Nullable List<QueueEntry> admitted) {
        if (admitted == null) {
            return;
        }
        boolean[] c = completing.get();
        boolean outermost = !c[0];
        c[0] = true;
        try {
            List<QueueEntry> batch = admitted;
            while (batch != null) {
                for (QueueEntry e : batch) {
                    ScheduledFuture<?> timeout = e.timeout;
                    if (timeout != null) {
                        timeout.cancel(false);
                    }
                    if (!e.waiter.admitted(e.waitedNanos)) {
                        release(e.lane);
                    }
                }
                if (!outermost || !c[1]) {
                    break;
                }
                c[1] = false;
                batch = lockedDispatch();
            }
        } finally {
            if (outermost) {
                c[0] = false;
                c[1] = false;
            }
        }
    }

    private void link(QueueEntry e) {
        e.lane.append(e);
        e.linked = true;
        waiters = waiters + 1;
    }

    private void unlink(QueueEntry e) {
        e.lane.remove(e);
        e.linked = false;
        waiters = waiters - 1;
    }

    private boolean takeGlobal() {
        if (globalLimit == 0) {
            return true;
        }
        while (true) {
            int t = globalTaken.get();
            if (t >= globalLimit) {
                return false;
            }
            if (globalTaken.compareAndSet(t, t + 1)) {
                return true;
            }
        }
    }

    private void giveBackGlobal() {
        if (globalLimit > 0) {
            globalTaken.decrementAndGet();
            if (waiters != 0) {
                dispatchAndComplete();
            }
        }
    }

    private Refusal occupancy(QueueEntry entry, RejectionReason reason) {
        Lane l = entry.lane;
        return new Refusal(l.label, reason, globalTaken.get(), globalLimit, l.running.get(), l.limit, waiters - 1,
                limits.queueCapacity());
    }

    private ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = timer;
        if (t == null) {
            t = new ScheduledThreadPoolExecutor(1, r -> {
                Thread thread = new Thread(r, "llm-autoscale-admission-timeout");
                thread.setDaemon(true);
                return thread;
            });
            t.setRemoveOnCancelPolicy(true);
            // the thread goes away when no request has waited for a while (it never leaves a pending timeout)
            t.setKeepAliveTime(30, TimeUnit.SECONDS);
            t.allowCoreThreadTimeOut(true);
            timer = t;
        }
        return t;
    }

    private AdmissionRejectedException rejection(Refusal r) {
        String slots;
        if (r.modelFull()) {
            slots = "all " + r.modelLimit() + " concurrency slots of model '" + r.model() + "' are busy";
        } else {
            slots = "all " + r.globalLimit() + " concurrency slots are busy";
        }
        String why;
        if (r.reason() == RejectionReason.QUEUE_FULL) {
            why = r.queueCapacity() == 0
                    ? slots + " and queueing is off (queue capacity 0)"
                    : slots + " and the wait queue is full (" + r.queued() + " of " + r.queueCapacity()
                            + " places taken)";
        } else if (maxWaitNanos == 0) {
            why = slots + " and the maximum queue wait is 0";
        } else {
            why = slots + " and none became free within " + limits.maxQueueWait().toMillis() + " ms";
        }
        return exception(r.model(), r.reason(), why);
    }

    private AdmissionRejectedException closedRefusal(Lane lane) {
        return exception(lane.label, RejectionReason.DRAINING, "the server is shutting down");
    }

    private AdmissionRejectedException exception(String label, RejectionReason reason, String why) {
        Duration hint = reason == RejectionReason.DRAINING ? limits.drainRetryAfter() : limits.retryAfter();
        return new AdmissionRejectedException(reason, label, hint, "Inference request for model '" + label
                + "' rejected: " + why + "; retry after " + Math.max(1, (hint.toMillis() + 999) / 1000) + " s");
    }
}
