package dev.llmautoscale.nvml;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Counts failed NVML calls by result. The counts are the source of truth; {@code llm_gpu_nvml_errors_total} meters
 * read them, and a listener hears of each result code the first time it is seen so meters can be added then.
 *
 * <p>The codes that alerts name ({@link #ALERTED}) exist from the start at 0. A counter series that first appears
 * with value 1 is invisible to {@code increase()} and {@code rate()} until it changes again, so without this the
 * {@code LLMGpuLost} alert ({@code increase(llm_gpu_nvml_errors_total{code="GPU_IS_LOST"}[10m]) > 0}) could never
 * fire on a pod's first lost GPU.
 */
final class NvmlErrorCounts implements Consumer<NvmlReturn> {

    /** Codes whose series are exported at 0 before they first happen: the ones deploy/'s alerts select. */
    static final Set<NvmlReturn> ALERTED = EnumSet.of(NvmlReturn.GPU_IS_LOST);

    private final Map<NvmlReturn, AtomicLong> counts = new ConcurrentHashMap<>();
    private volatile BiConsumer<NvmlReturn, AtomicLong> onNewCode = (code, count) -> { };

    NvmlErrorCounts() {
        for (NvmlReturn code : ALERTED) {
            counts.put(code, new AtomicLong());
        }
    }

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

    /** A copy of the counts of the codes that happened (not the ones still at 0), by code name, sorted. */
    Map<String, Long> toMap() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((code, count) -> {
            long n = count.get();
            if (n > 0) {
                copy.put(code.name(), n);
            }
        });
        return copy;
    }

    long count(NvmlReturn result) {
        AtomicLong count = counts.get(result);
        return count == null ? 0 : count.get();
    }
}
