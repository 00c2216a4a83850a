package dev.llmautoscale.simulator.sim;

import dev.llmautoscale.metrics.InferenceStatus;
import dev.llmautoscale.metrics.MetricNames;

/**
 * The Prometheus names of the series a simulated replica exports, derived from the core's {@link MetricNames} the
 * way Micrometer's Prometheus naming convention does (dots to underscores, {@code _total} for counters, the base
 * unit as a suffix). The GPU families are those of {@code llm-autoscale-nvml} (NvmlGpuTelemetry), which the simulator
 * does not depend on.
 */
public final class MetricFamilies {

    /** {@code llm_inference_queue_depth}. */
    public static final String QUEUE_DEPTH = prom(MetricNames.QUEUE_DEPTH, "");
    /** {@code llm_active_requests}. */
    public static final String ACTIVE_REQUESTS = prom(MetricNames.ACTIVE_REQUESTS, "");
    /** {@code llm_requests_waiting}. */
    public static final String REQUESTS_WAITING = prom(MetricNames.REQUESTS_WAITING, "");
    /** {@code llm_requests_running}. */
    public static final String REQUESTS_RUNNING = prom(MetricNames.REQUESTS_RUNNING, "");
    /** {@code llm_capacity_utilization_ratio}. */
    public static final String CAPACITY_UTILIZATION = prom(MetricNames.CAPACITY_UTILIZATION, "_ratio");
    /** {@code llm_kv_cache_utilization_ratio}. */
    public static final String KV_CACHE_UTILIZATION = prom(MetricNames.KV_CACHE_UTILIZATION, "_ratio");
    /** {@code llm_inference_requests_total}. */
    public static final String REQUESTS = prom(MetricNames.REQUESTS, "_total");
    /** {@code llm_prompt_tokens_total}. */
    public static final String PROMPT_TOKENS = prom(MetricNames.PROMPT_TOKENS, "_total");
    /** {@code llm_generation_tokens_total}. */
    public static final String GENERATION_TOKENS = prom(MetricNames.GENERATION_TOKENS, "_total");
    /** {@code llm_gpu_memory_used_bytes}. */
    public static final String GPU_MEMORY_USED = prom(MetricNames.GPU_MEMORY_USED, "_bytes");
    /** {@code llm_gpu_utilization_percent} (nvml module: {@code llm.gpu.utilization}, unit percent). */
    public static final String GPU_UTILIZATION = prom("llm.gpu.utilization", "_percent");
    /** {@code nvidia_gpu_memory_used_bytes} (nvml module, legacy exporter name). */
    public static final String NVIDIA_GPU_MEMORY_USED = prom("nvidia.gpu.memory.used", "_bytes");
    /** {@code nvidia_gpu_memory_total_bytes} (nvml module, legacy exporter name). */
    public static final String NVIDIA_GPU_MEMORY_TOTAL = prom("nvidia.gpu.memory.total", "_bytes");

    /** The {@code status} values exported. */
    public static final String SUCCESS = InferenceStatus.SUCCESS.label();
    /** The {@code status} value of refused requests. */
    public static final String REJECTED = InferenceStatus.REJECTED.label();

    private MetricFamilies() {
    }

    private static String prom(String micrometerName, String suffix) {
        return micrometerName.replace('.', '_') + suffix;
    }
}
