package dev.llmautoscale.metrics;

/**
 * The names of every meter the core registers, as Micrometer names (dot-separated). The Prometheus names, after
 * Micrometer's {@code PrometheusNamingConvention}, are given in each constant's documentation and in
 * {@code docs/METRICS.md}.
 */
public final class MetricNames {

    /** Counter {@code llm_inference_requests_total{model,status}} (guide). */
    public static final String REQUESTS = "llm.inference.requests";
    /** Histogram {@code llm_inference_duration_seconds{model}} (guide): end-to-end time, queue wait included. */
    public static final String DURATION = "llm.inference.duration";
    /** Gauge {@code llm_inference_queue_depth} (guide): requests waiting for admission, all models. */
    public static final String QUEUE_DEPTH = "llm.inference.queue.depth";
    /** Gauge {@code llm_gpu_memory_used_bytes} (guide): GPU memory used on the visible devices. */
    public static final String GPU_MEMORY_USED = "llm.gpu.memory.used";
    /** Gauge {@code llm_active_requests} (guide): requests admitted and running, all models. */
    public static final String ACTIVE_REQUESTS = "llm.active.requests";

    /** Histogram {@code llm_request_queue_time_seconds{model}}: time spent waiting for admission. */
    public static final String QUEUE_TIME = "llm.request.queue.time";
    /** Histogram {@code llm_time_to_first_token_seconds{model}}. */
    public static final String TIME_TO_FIRST_TOKEN = "llm.time.to.first.token";
    /** Histogram {@code llm_time_per_output_token_seconds{model}}: decode time per token after the first. */
    public static final String TIME_PER_OUTPUT_TOKEN = "llm.time.per.output.token";
    /** Counter {@code llm_prompt_tokens_total{model}}. */
    public static final String PROMPT_TOKENS = "llm.prompt.tokens";
    /** Counter {@code llm_generation_tokens_total{model}}. */
    public static final String GENERATION_TOKENS = "llm.generation.tokens";
    /** Gauge {@code llm_requests_waiting{model}}: queued requests of one model. */
    public static final String REQUESTS_WAITING = "llm.requests.waiting";
    /** Gauge {@code llm_requests_running{model}}: running requests of one model. */
    public static final String REQUESTS_RUNNING = "llm.requests.running";
    /** Gauge {@code llm_capacity_utilization_ratio{model}}: running / concurrency limit, 0-1. */
    public static final String CAPACITY_UTILIZATION = "llm.capacity.utilization";
    /** Gauge {@code llm_kv_cache_utilization_ratio{model}}: KV-cache in use, 0-1, fed by the host server. */
    public static final String KV_CACHE_UTILIZATION = "llm.kv.cache.utilization";
    /** Counter {@code llm_requests_rejected_total{model,reason}}. */
    public static final String REJECTIONS = "llm.requests.rejected";
    /** Gauge {@code llm_warmup_duration_seconds{hook}}: how long each warm-up hook (model load) took. */
    public static final String WARMUP_DURATION = "llm.warmup.duration";
    /** Gauge {@code llm_lifecycle_state{state}}: 1 for the current lifecycle state, 0 for the others. */
    public static final String LIFECYCLE_STATE = "llm.lifecycle.state";
    /** Counter {@code llm_model_label_overflow_total}: requests whose model name was reported as {@code other}. */
    public static final String MODEL_LABEL_OVERFLOW = "llm.model.label.overflow";

    /** The {@code model} tag. */
    public static final String TAG_MODEL = "model";
    /** The {@code status} tag. */
    public static final String TAG_STATUS = "status";
    /** The {@code reason} tag. */
    public static final String TAG_REASON = "reason";

    private MetricNames() {
    }
}
