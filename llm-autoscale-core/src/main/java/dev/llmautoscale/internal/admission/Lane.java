package dev.llmautoscale.internal.admission;

import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The admission state of one {@code model} label value: its running requests (which are also the slots of its own
 * concurrency limit, when it has one) and its FIFO of waiting requests.
 *
 * <p>These two counts are the only place the library keeps running and queued figures; gauges,
 * {@link dev.llmautoscale.metrics.LoadSnapshot}, the endpoints and the drain all read them.
 */
public final class Lane {

    final String label;
    /** The model's own limit, 0 when only the global one applies. */
    final int limit;
    final AtomicInteger running = new AtomicInteger();
    /** Waiting requests of this model; written under the controller's lock, read without it. */
    volatile int queued;
    /** The oldest waiter, under the controller's lock. */
    @Nullable QueueEntry head;
    /** The newest waiter, under the controller's lock. */
    @Nullable QueueEntry tail;

    Lane(String label, int limit) {
        this.label = label;
        this.limit = limit;
    }

    /**
     * @return the model label value
     */
    public String label() {
        return label;
    }

    /**
     * @return the model's own concurrency limit, 0 when only the global limit applies
     */
    public int limit() {
        return limit;
    }

    /**
     * @return requests of this model admitted and running now
     */
    public int running() {
        return running.get();
    }

    /**
     * @return requests of this model waiting for admission now
     */
    public int queued() {
        return queued;
    }

    boolean hasFreeSlot() {
        return limit == 0 || running.get() < limit;
    }

    /** Takes one of the model's slots (counting the request as running); fails when the model's limit is reached. */
    boolean takeSlot() {
        if (limit == 0) {
            running.incrementAndGet();
            return true;
        }
        while (true) {
            int r = running.get();
            if (r >= limit) {
                return false;
            }
            if (running.compareAndSet(r, r + 1)) {
                return true;
            }
        }
    }

    void append(QueueEntry e) {
        QueueEntry last = tail;
        e.prev = last;
        e.next = null;
        if (last == null) {
            head = e;
        } else {
            last.next = e;
        }
        tail = e;
        queued = queued + 1;
    }

    void remove(QueueEntry e) {
        QueueEntry before = e.prev;
        QueueEntry after = e.next;
        if (before == null) {
            head = after;
        } else {
            before.next = after;
        }
        if (after == null) {
            tail = before;
        } else {
            after.prev = before;
        }
        e.prev = null;
        e.next = null;
        queued = queued - 1;
    }
}
