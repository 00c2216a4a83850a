package dev.llmautoscale.examples.engine;

/** Receives the KV-cache utilization of each model after every engine step that changed it. */
@FunctionalInterface
public interface KvCacheListener {

    /** Ignores every report. */
    KvCacheListener NONE = (model, ratio) -> { };

    /**
     * @param model the model name
     * @param ratio tokens held in the KV cache divided by the budget, 0 to 1
     */
    void kvCacheUtilization(String model, double ratio);
}
