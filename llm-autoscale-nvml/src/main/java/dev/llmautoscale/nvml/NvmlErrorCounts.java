package dev.llmautoscale.nvml;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Counts failed NVML calls by result. The counts are the source of truth; {@code llm_gpu_nvml_errors_total} meters
 * read them, and a listener hears of each result code the first time it is seen so meters can be added then.
 */
final class NvmlErrorCounts implements Consumer<NvmlReturn> {

    private final Map<NvmlReturn, AtomicLong> counts = new ConcurrentHashMap<>();
    private volatile BiConsumer<NvmlReturn, AtomicLong> onNewCode = (code, count) -> { };

    @Override
    public void accept(NvmlReturn result) {
        if (result == NvmlReturn.SUCCESS) {
            return;
        }
        boolean[] created = new boolean[1];
        AtomicLong count = counts.computeIfAbsent(result, key -> {
            created[0] = true;
            return new AtomicLong();
        });
        count.incrementAndGet();
        if (created[0]) {
            onNewCode.accept(result, count);
        }
    }

    /** Sets who hears of new codes (once, by the telemetry). */
    void onNewCode(BiConsumer<NvmlReturn, AtomicLong> listener) {
        onNewCode = listener;
    }

    /** Visits every code seen so far with its live count. */
    void forEach(BiConsumer<NvmlReturn, AtomicLong> visitor) {
        counts.forEach(visitor);
    }

    /** A copy of the counts, by code name, sorted. */
    Map<String, Long> toMap() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((code, count) -> copy.put(code.name(), count.get()));
        return copy;
    }

    long count(NvmlReturn result) {
        AtomicLong count = counts.get(result);
        return count == null ? 0 : count.get();
    }
}
