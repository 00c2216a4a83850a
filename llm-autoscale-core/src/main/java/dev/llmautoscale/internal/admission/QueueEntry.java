package dev.llmautoscale.internal.admission;

import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/** One request in the admission queue: a node of its lane's FIFO, guarded by the controller's lock. */
public final class QueueEntry {

    final Lane lane;
    final Waiter waiter;
    long seq;
    long enqueuedNanos;
    long waitedNanos;
    boolean linked;
    @Nullable QueueEntry prev;
    @Nullable QueueEntry next;
    @Nullable ScheduledFuture<?> timeout;

    /**
     * @param lane the request's model
     * @param waiter who is told the outcome
     */
    public QueueEntry(Lane lane, Waiter waiter) {
        this.lane = Objects.requireNonNull(lane, "lane");
        this.waiter = Objects.requireNonNull(waiter, "waiter");
    }

    /**
     * @return the model label value of the request
     */
    public String laneLabel() {
        return lane.label;
    }
}
