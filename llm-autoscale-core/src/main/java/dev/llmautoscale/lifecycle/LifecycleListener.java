package dev.llmautoscale.lifecycle;

/**
 * Notified on every state change of an {@link InferenceLifecycle}, synchronously, on the thread that made the
 * change. A listener that throws is logged and does not stop the others.
 */
@FunctionalInterface
public interface LifecycleListener {

    /**
     * @param from the previous state
     * @param to the new state
     */
    void onStateChange(LifecycleState from, LifecycleState to);
}
