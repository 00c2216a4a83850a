package dev.llmautoscale.lifecycle;

import java.time.Duration;

/**
 * What a drain achieved.
 *
 * @param drained whether every in-flight and queued request finished before the timeout
 * @param remainingRunning requests still running when the drain returned
 * @param remainingQueued requests still queued when the drain returned
 * @param waited how long the drain waited for in-flight work (pre-drain delay not included)
 */
public record DrainResult(boolean drained, int remainingRunning, int remainingQueued, Duration waited) {
}
