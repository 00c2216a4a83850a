package dev.llmautoscale.examples.loadgen;

/**
 * A sequence of arrivals in non-decreasing time order. Implementations are not thread-safe: one runner reads them.
 */
public interface Schedule {

    /**
     * @return the next arrival, or {@code null} when the schedule is exhausted
     */
    Arrival next();

    /**
     * Bounds a schedule in time and count: arrivals at or after {@code durationNanos}, and any beyond
     * {@code maxRequests}, are dropped.
     *
     * @param schedule the schedule
     * @param durationNanos the time bound
     * @param maxRequests the count bound
     * @return the bounded schedule
     */
    static Schedule bounded(Schedule schedule, long durationNanos, long maxRequests) {
        if (durationNanos <= 0) {
            throw new IllegalArgumentException("duration must be positive, got " + durationNanos + " ns");
        }
        if (maxRequests < 1) {
            throw new IllegalArgumentException("the request bound must be >= 1, got " + maxRequests);
        }
        return new Schedule() {
            private long count;
            private boolean done;

            @Override
            public Arrival next() {
                if (done || count >= maxRequests) {
                    return null;
                }
                Arrival a = schedule.next();
                if (a == null || a.offsetNanos() >= durationNanos) {
                    done = true;
                    return null;
                }
                count++;
                return a;
            }
        };
    }
}
