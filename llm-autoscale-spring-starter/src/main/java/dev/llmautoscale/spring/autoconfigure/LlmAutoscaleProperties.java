package dev.llmautoscale.spring.autoconfigure;

import dev.llmautoscale.admission.AdmissionLimits;
import dev.llmautoscale.gpu.GpuTelemetryOptions;
import dev.llmautoscale.metrics.Buckets;
import dev.llmautoscale.metrics.InferenceMetricsConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Every knob of llm-autoscale under {@code llm.autoscale.*}. Bad values fail startup with a message naming the
 * property (the class validates itself while Spring Boot binds it, so no Bean Validation provider is needed).
 *
 * <p>The defaults are the library's defaults: the guide's duration buckets, vLLM's LLM buckets, admission control off,
 * a bounded {@code model} label (first 32 names), GPU telemetry on when a provider (the NVML module) finds a GPU.
 */
@ConfigurationProperties(prefix = LlmAutoscaleProperties.PREFIX)
public class LlmAutoscaleProperties implements Validator {

    /** The prefix of every property. */
    public static final String PREFIX = "llm.autoscale";

    /** The largest JSON body prefix read for the model name: 1 MiB. */
    static final int MAX_BODY_PEEK_BYTES = 1024 * 1024;

    /** Whether llm-autoscale is auto-configured at all; false backs the whole starter off. */
    private boolean enabled = true;

    private final Metrics metrics = new Metrics();
    private final Admission admission = new Admission();
    private final Lifecycle lifecycle = new Lifecycle();
    private final Gpu gpu = new Gpu();
    private final Tracking tracking = new Tracking();
    private final Servlet servlet = new Servlet();

    /**
     * @return whether llm-autoscale is auto-configured
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * @param enabled whether llm-autoscale is auto-configured
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * @return metric shape settings
     */
    public Metrics getMetrics() {
        return metrics;
    }

    /**
     * @return admission control settings
     */
    public Admission getAdmission() {
        return admission;
    }

    /**
     * @return warm-up and drain settings
     */
    public Lifecycle getLifecycle() {
        return lifecycle;
    }

    /**
     * @return GPU telemetry settings
     */
    public Gpu getGpu() {
        return gpu;
    }

    /**
     * @return {@code @TrackInference} settings
     */
    public Tracking getTracking() {
        return tracking;
    }

    /**
     * @return tracking filter and bare endpoint settings
     */
    public Servlet getServlet() {
        return servlet;
    }

    /**
     * The core's metric configuration.
     *
     * @return the validated configuration
     * @throws IllegalArgumentException when a value is out of range
     */
    public InferenceMetricsConfig toMetricsConfig() {
        return InferenceMetricsConfig.builder()
                .durationBuckets(metrics.buckets.duration)
                .timeToFirstTokenBuckets(metrics.buckets.timeToFirstToken)
                .timePerOutputTokenBuckets(metrics.buckets.timePerOutputToken)
                .queueTimeBuckets(metrics.buckets.queueTime)
                .modelAllowList(new LinkedHashSet<>(metrics.modelAllowList))
                .maxModels(metrics.maxModels)
                .maxModelNameLength(metrics.maxModelNameLength)
                .build();
    }

    /**
     * The core's admission limits.
     *
     * @return the validated limits
     * @throws IllegalArgumentException when a value is out of range
     */
    public AdmissionLimits toAdmissionLimits() {
        return AdmissionLimits.builder()
                .enabled(admission.enabled)
                .maxConcurrency(admission.maxConcurrency)
                .queueCapacity(admission.queueCapacity)
                .maxQueueWait(admission.maxQueueWait)
                .retryAfter(admission.retryAfter)
                .drainRetryAfter(admission.drainRetryAfter)
                .perModelMaxConcurrency(admission.perModelMaxConcurrency)
                .build();
    }

    /**
     * The core's GPU telemetry options.
     *
     * @return the validated options
     * @throws IllegalArgumentException when a value is out of range
     */
    public GpuTelemetryOptions toGpuOptions() {
        return new GpuTelemetryOptions(gpu.enabled, gpu.samplingInterval, gpu.legacyExporterNames);
    }

    @Override
    public boolean supports(Class<?> clazz) {
        return LlmAutoscaleProperties.class.isAssignableFrom(clazz);
    }

    /**
     * Checks every value and reports each bad one against its property, so that startup fails with a message such as
     * {@code Property: llm.autoscale.admission.max-concurrency, Value: "-1", Reason: must be at least 0}.
     */
    @Override
    public void validate(Object target, Errors errors) {
        LlmAutoscaleProperties p = (LlmAutoscaleProperties) target;
        Metrics m = p.metrics;
        buckets(errors, "metrics.buckets.duration", m.buckets.duration);
        buckets(errors, "metrics.buckets.timeToFirstToken", m.buckets.timeToFirstToken);
        buckets(errors, "metrics.buckets.timePerOutputToken", m.buckets.timePerOutputToken);
        buckets(errors, "metrics.buckets.queueTime", m.buckets.queueTime);
        if (m.maxModels < 1) {
            reject(errors, "metrics.maxModels", "range", "must be at least 1");
        }
        if (m.maxModelNameLength < 1) {
            reject(errors, "metrics.maxModelNameLength", "range", "must be at least 1");
        }
        for (String model : m.modelAllowList) {
            if (model == null || model.isBlank()) {
                reject(errors, "metrics.modelAllowList", "blank", "must not hold blank entries");
            } else if (InferenceMetricsConfig.OTHER_MODEL.equals(model)) {
                reject(errors, "metrics.modelAllowList", "reserved", "must not hold '" + InferenceMetricsConfig.OTHER_MODEL
                        + "': it is reserved for models beyond the bound");
            }
        }

        Admission a = p.admission;
        if (a.maxConcurrency < 0) {
            reject(errors, "admission.maxConcurrency", "range", "must be at least 0 (0 = unlimited)");
        }
        if (a.queueCapacity < 0) {
            reject(errors, "admission.queueCapacity", "range", "must be at least 0");
        }
        notNegative(errors, "admission.maxQueueWait", a.maxQueueWait);
        notNegative(errors, "admission.retryAfter", a.retryAfter);
        notNegative(errors, "admission.drainRetryAfter", a.drainRetryAfter);
        a.perModelMaxConcurrency.forEach((model, limit) -> {
            if (limit == null || limit < 1) {
                reject(errors, "admission.perModelMaxConcurrency", "range",
                        "must give model '" + model + "' a limit of at least 1, got " + limit);
            }
        });
        if (a.enabled && a.maxConcurrency == 0 && a.perModelMaxConcurrency.isEmpty()) {
            reject(errors, "admission.enabled", "limit", "is true but no limit is set: set "
                    + PREFIX + ".admission.max-concurrency or a per-model limit");
        }

        Lifecycle l = p.lifecycle;
        positive(errors, "lifecycle.warmupTimeout", l.warmupTimeout);
        if (l.warmupAttempts < 1) {
            reject(errors, "lifecycle.warmupAttempts", "range", "must be at least 1 (1 = no retry)");
        }
        notNegative(errors, "lifecycle.warmupRetryDelay", l.warmupRetryDelay);
        if (l.preDrainDelay != null) {
            notNegative(errors, "lifecycle.preDrainDelay", l.preDrainDelay);
        }
        notNegative(errors, "lifecycle.drainTimeout", l.drainTimeout);

        positive(errors, "gpu.samplingInterval", p.gpu.samplingInterval);

        Servlet s = p.servlet;
        if (s.paths == null || s.paths.isEmpty()) {
            reject(errors, "servlet.paths", "empty", "must name at least one tracked path pattern");
        } else {
            for (String pattern : s.paths) {
                if (pattern == null || !pattern.startsWith("/")) {
                    reject(errors, "servlet.paths", "pattern",
                            "must hold path patterns starting with '/', got '" + pattern + "'");
                }
            }
        }
        if (s.bodyPeekBytes < 0 || s.bodyPeekBytes > MAX_BODY_PEEK_BYTES) {
            reject(errors, "servlet.bodyPeekBytes", "range", "must be 0 (off) to " + MAX_BODY_PEEK_BYTES);
        }
        if (s.overloadStatus != 429 && s.overloadStatus != 503) {
            reject(errors, "servlet.overloadStatus", "range", "must be 429 or 503");
        }
        optionalPath(errors, "servlet.endpoints.activeRequests", s.endpoints.activeRequests);
        optionalPath(errors, "servlet.endpoints.ready", s.endpoints.ready);
        optionalPath(errors, "servlet.endpoints.health", s.endpoints.health);
        optionalPath(errors, "servlet.endpoints.autoscaling", s.endpoints.autoscaling);
        optionalPath(errors, "servlet.endpoints.metrics", s.endpoints.metrics);
        if (s.drain.enabled) {
            optionalPath(errors, "servlet.drain.path", s.drain.path);
            if (s.drain.path == null || s.drain.path.isBlank()) {
                reject(errors, "servlet.drain.path", "empty", "must be set when the drain endpoint is enabled");
            }
            if ((s.drain.token == null || s.drain.token.isBlank()) && !s.drain.allowLoopback) {
                reject(errors, "servlet.drain.allowLoopback", "nobody", "is false and no "
                        + PREFIX + ".servlet.drain.token is set: nobody could call the drain endpoint");
            }
        }
    }

    /**
     * Rejects a value with a message that starts with the property's canonical name, so that the startup failure
     * reads well however it is reported.
     */
    private static void reject(Errors errors, String field, String code, String message) {
        errors.rejectValue(field, code, PREFIX + "." + DataObjectPropertyName.toDashedForm(field) + " " + message);
    }

    private static void buckets(Errors errors, String field, List<Double> seconds) {
        if (seconds == null || seconds.isEmpty()) {
            reject(errors, field, "empty", "must list at least one bucket boundary, in seconds");
            return;
        }
        double previous = 0;
        for (Double s : seconds) {
            if (s == null || !(s > previous) || s.isInfinite()) {
                reject(errors, field, "order",
                        "bucket boundaries must be positive, finite and strictly increasing (seconds)");
                return;
            }
            previous = s;
        }
    }

    private static void notNegative(Errors errors, String field, Duration d) {
        if (d == null) {
            reject(errors, field, "null", "must be set");
        } else if (d.isNegative()) {
            reject(errors, field, "range", "must not be negative");
        }
    }

    private static void positive(Errors errors, String field, Duration d) {
        if (d == null) {
            reject(errors, field, "null", "must be set");
        } else if (d.isNegative() || d.isZero()) {
            reject(errors, field, "range", "must be positive");
        }
    }

    private static void optionalPath(Errors errors, String field, String path) {
        if (path != null && !path.isBlank()
                && (!path.startsWith("/") || path.length() < 2 || path.contains("*") || path.contains(" "))) {
            reject(errors, field, "path", "must be an exact path starting with '/' (no wildcards), or empty for off");
        }
    }

    /** How the meters are shaped: histogram buckets and the bounds on the {@code model} label. */
    public static class Metrics {

        /**
         * Model names that get their own model label value; every other name is reported as "other". Empty: the
         * first max-models distinct names get their own value.
         */
        private List<String> modelAllowList = new ArrayList<>();

        /** Without an allow-list, how many distinct model names get their own label value before "other". */
        private int maxModels = 32;

        /** Longer model names (and names with control characters) are reported as "other". */
        private int maxModelNameLength = 128;

        private final HistogramBuckets buckets = new HistogramBuckets();

        /**
         * @return the allow-list
         */
        public List<String> getModelAllowList() {
            return modelAllowList;
        }

        /**
         * @param modelAllowList the allow-list
         */
        public void setModelAllowList(List<String> modelAllowList) {
            this.modelAllowList = modelAllowList;
        }

        /**
         * @return the bound on distinct model label values
         */
        public int getMaxModels() {
            return maxModels;
        }

        /**
         * @param maxModels the bound on distinct model label values
         */
        public void setMaxModels(int maxModels) {
            this.maxModels = maxModels;
        }

        /**
         * @return the longest model name kept as a label value
         */
        public int getMaxModelNameLength() {
            return maxModelNameLength;
        }

        /**
         * @param maxModelNameLength the longest model name kept as a label value
         */
        public void setMaxModelNameLength(int maxModelNameLength) {
            this.maxModelNameLength = maxModelNameLength;
        }

        /**
         * @return histogram bucket boundaries
         */
        public HistogramBuckets getBuckets() {
            return buckets;
        }
    }

    /**
     * Histogram bucket boundaries in seconds, strictly increasing. Spring Boot's
     * {@code management.metrics.distribution.*} settings for the same meter names still apply on top.
     */
    public static class HistogramBuckets {

        /** Buckets of llm_inference_duration_seconds (the guide's: 0.1 0.5 1 2 5 10 30 60). */
        private List<Double> duration = new ArrayList<>(Buckets.GUIDE_DURATION);

        /** Buckets of llm_time_to_first_token_seconds (vLLM's by default). */
        private List<Double> timeToFirstToken = new ArrayList<>(Buckets.TIME_TO_FIRST_TOKEN);

        /** Buckets of llm_time_per_output_token_seconds (vLLM's inter-token latency buckets by default). */
        private List<Double> timePerOutputToken = new ArrayList<>(Buckets.TIME_PER_OUTPUT_TOKEN);

        /** Buckets of llm_request_queue_time_seconds (vLLM's by default). */
        private List<Double> queueTime = new ArrayList<>(Buckets.QUEUE_TIME);

        /**
         * @return duration buckets
         */
        public List<Double> getDuration() {
            return duration;
        }

        /**
         * @param duration duration buckets
         */
        public void setDuration(List<Double> duration) {
            this.duration = duration;
        }

        /**
         * @return time-to-first-token buckets
         */
        public List<Double> getTimeToFirstToken() {
            return timeToFirstToken;
        }

        /**
         * @param timeToFirstToken time-to-first-token buckets
         */
        public void setTimeToFirstToken(List<Double> timeToFirstToken) {
            this.timeToFirstToken = timeToFirstToken;
        }

        /**
         * @return time-per-output-token buckets
         */
        public List<Double> getTimePerOutputToken() {
            return timePerOutputToken;
        }

        /**
         * @param timePerOutputToken time-per-output-token buckets
         */
        public void setTimePerOutputToken(List<Double> timePerOutputToken) {
            this.timePerOutputToken = timePerOutputToken;
        }

        /**
         * @return queue time buckets
         */
        public List<Double> getQueueTime() {
            return queueTime;
        }

        /**
         * @param queueTime queue time buckets
         */
        public void setQueueTime(List<Double> queueTime) {
            this.queueTime = queueTime;
        }
    }

    /** Admission control: how many inferences run at once, how many wait, for how long. */
    public static class Admission {

        /** Whether requests are limited (refused with 429 / queued) at all. */
        private boolean enabled;

        /**
         * Concurrent inferences over all models (the guide's MAX_CONCURRENT_REQUESTS); 0 = unlimited. Also sizes
         * llm_capacity_utilization_ratio when admission control is off.
         */
        private int maxConcurrency;

        /** Requests that may wait for a slot (FIFO); 0 refuses at once when every slot is busy. */
        private int queueCapacity;

        /** The longest a request waits for a slot before it is refused (reason queue_timeout). */
        private Duration maxQueueWait = Duration.ofSeconds(30);

        /** The Retry-After hint given to clients refused while overloaded. */
        private Duration retryAfter = Duration.ofSeconds(1);

        /** The Retry-After hint given to clients refused while draining. */
        private Duration drainRetryAfter = Duration.ofSeconds(5);

        /** Per-model concurrency limits by model label value, on top of the global one. */
        private Map<String, Integer> perModelMaxConcurrency = new LinkedHashMap<>();

        /**
         * @return whether admission control is on
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * @param enabled whether admission control is on
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * @return the global concurrency limit
         */
        public int getMaxConcurrency() {
            return maxConcurrency;
        }

        /**
         * @param maxConcurrency the global concurrency limit
         */
        public void setMaxConcurrency(int maxConcurrency) {
            this.maxConcurrency = maxConcurrency;
        }

        /**
         * @return the queue capacity
         */
        public int getQueueCapacity() {
            return queueCapacity;
        }

        /**
         * @param queueCapacity the queue capacity
         */
        public void setQueueCapacity(int queueCapacity) {
            this.queueCapacity = queueCapacity;
        }

        /**
         * @return the longest queue wait
         */
        public Duration getMaxQueueWait() {
            return maxQueueWait;
        }

        /**
         * @param maxQueueWait the longest queue wait
         */
        public void setMaxQueueWait(Duration maxQueueWait) {
            this.maxQueueWait = maxQueueWait;
        }

        /**
         * @return the retry hint while overloaded
         */
        public Duration getRetryAfter() {
            return retryAfter;
        }

        /**
         * @param retryAfter the retry hint while overloaded
         */
        public void setRetryAfter(Duration retryAfter) {
            this.retryAfter = retryAfter;
        }

        /**
         * @return the retry hint while draining
         */
        public Duration getDrainRetryAfter() {
            return drainRetryAfter;
        }

        /**
         * @param drainRetryAfter the retry hint while draining
         */
        public void setDrainRetryAfter(Duration drainRetryAfter) {
            this.drainRetryAfter = drainRetryAfter;
        }

        /**
         * @return per-model limits
         */
        public Map<String, Integer> getPerModelMaxConcurrency() {
            return perModelMaxConcurrency;
        }

        /**
         * @param perModelMaxConcurrency per-model limits
         */
        public void setPerModelMaxConcurrency(Map<String, Integer> perModelMaxConcurrency) {
            this.perModelMaxConcurrency = perModelMaxConcurrency;
        }
    }

    /** Warm-up, readiness and drain, joined to Spring Boot's availability states and graceful shutdown. */
    public static class Lifecycle {

        /**
         * Whether warm-up hook beans run after the context starts, readiness follows the lifecycle
         * (AvailabilityChangeEvent) and context close drains in-flight work before the web server stops.
         */
        private boolean enabled = true;

        /** The timeout of a warm-up hook bean that does not set its own (InferenceWarmup does). */
        private Duration warmupTimeout = Duration.ofMinutes(10);

        /**
         * Warm-up attempts in all; a failed attempt is retried from the failed hook after warmup-retry-delay, so a
         * transient cause heals without a restart. 1: no retry (the server stays unready and says why).
         */
        private int warmupAttempts = 1;

        /** The pause between a failed warm-up attempt and the next. */
        private Duration warmupRetryDelay = Duration.ofSeconds(30);

        /**
         * How long to keep serving after readiness turns to REFUSING_TRAFFIC on shutdown, while load balancers remove
         * the endpoint. Unset: 5s when running on Kubernetes, 0 elsewhere. Skipped when the server never became ready.
         */
        private Duration preDrainDelay;

        /**
         * After the pre-drain delay, how long to wait for running and queued inferences before the web server's
         * graceful shutdown continues. spring.lifecycle.timeout-per-shutdown-phase is raised for the drain phase to
         * cover the delay plus this timeout.
         */
        private Duration drainTimeout = Duration.ofSeconds(20);

        /**
         * @return whether the lifecycle is joined to Spring Boot's
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * @param enabled whether the lifecycle is joined to Spring Boot's
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * @return the default warm-up hook timeout
         */
        public Duration getWarmupTimeout() {
            return warmupTimeout;
        }

        /**
         * @param warmupTimeout the default warm-up hook timeout
         */
        public void setWarmupTimeout(Duration warmupTimeout) {
            this.warmupTimeout = warmupTimeout;
        }

        /**
         * @return warm-up attempts in all
         */
        public int getWarmupAttempts() {
            return warmupAttempts;
        }

        /**
         * @param warmupAttempts warm-up attempts in all (1 = no retry)
         */
        public void setWarmupAttempts(int warmupAttempts) {
            this.warmupAttempts = warmupAttempts;
        }

        /**
         * @return the pause between warm-up attempts
         */
        public Duration getWarmupRetryDelay() {
            return warmupRetryDelay;
        }

        /**
         * @param warmupRetryDelay the pause between warm-up attempts
         */
        public void setWarmupRetryDelay(Duration warmupRetryDelay) {
            this.warmupRetryDelay = warmupRetryDelay;
        }

        /**
         * @return the pre-drain delay, or {@code null} for the platform default
         */
        public Duration getPreDrainDelay() {
            return preDrainDelay;
        }

        /**
         * @param preDrainDelay the pre-drain delay
         */
        public void setPreDrainDelay(Duration preDrainDelay) {
            this.preDrainDelay = preDrainDelay;
        }

        /**
         * @return the drain timeout
         */
        public Duration getDrainTimeout() {
            return drainTimeout;
        }

        /**
         * @param drainTimeout the drain timeout
         */
        public void setDrainTimeout(Duration drainTimeout) {
            this.drainTimeout = drainTimeout;
        }
    }

    /** GPU telemetry, read by the NVML module when it is on the class path and finds a GPU. */
    public static class Gpu {

        /** Whether GPU telemetry is opened; off: llm_gpu_memory_used_bytes is absent. */
        private boolean enabled = true;

        /** How often one native sweep reads every device; scrapes read the last sweep. */
        private Duration samplingInterval = Duration.ofSeconds(5);

        /**
         * Also emit the older NVIDIA exporter names nvidia_gpu_memory_used_bytes and nvidia_gpu_memory_total_bytes
         * (the guide's KEDA query uses them).
         */
        private boolean legacyExporterNames;

        /** Whether a GPU problem (such as a lost device) makes the server unready. */
        private boolean affectsReadiness;

        /**
         * @return whether GPU telemetry is opened
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * @param enabled whether GPU telemetry is opened
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * @return the sampling interval
         */
        public Duration getSamplingInterval() {
            return samplingInterval;
        }

        /**
         * @param samplingInterval the sampling interval
         */
        public void setSamplingInterval(Duration samplingInterval) {
            this.samplingInterval = samplingInterval;
        }

        /**
         * @return whether the legacy exporter names are emitted
         */
        public boolean isLegacyExporterNames() {
            return legacyExporterNames;
        }

        /**
         * @param legacyExporterNames whether the legacy exporter names are emitted
         */
        public void setLegacyExporterNames(boolean legacyExporterNames) {
            this.legacyExporterNames = legacyExporterNames;
        }

        /**
         * @return whether GPU problems make the server unready
         */
        public boolean isAffectsReadiness() {
            return affectsReadiness;
        }

        /**
         * @param affectsReadiness whether GPU problems make the server unready
         */
        public void setAffectsReadiness(boolean affectsReadiness) {
            this.affectsReadiness = affectsReadiness;
        }
    }

    /** {@code @TrackInference} on Spring beans. */
    public static class Tracking {

        /** Whether beans with @TrackInference methods are proxied and tracked. */
        private boolean enabled = true;

        /**
         * Whether each element of a tracked Flux counts as one output token (llm_generation_tokens_total,
         * llm_time_per_output_token_seconds). The first element always marks the first token.
         */
        private boolean streamElementsAreTokens = true;

        /**
         * @return whether the annotation is applied
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * @param enabled whether the annotation is applied
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * @return whether Flux elements count as output tokens
         */
        public boolean isStreamElementsAreTokens() {
            return streamElementsAreTokens;
        }

        /**
         * @param streamElementsAreTokens whether Flux elements count as output tokens
         */
        public void setStreamElementsAreTokens(boolean streamElementsAreTokens) {
            this.streamElementsAreTokens = streamElementsAreTokens;
        }
    }

    /**
     * The tracking filter and the guide's bare endpoints on the main port, in servlet applications with the
     * llm-autoscale-servlet module on the class path.
     */
    public static class Servlet {

        /** Whether the tracking filter and the enabled bare endpoints are registered. */
        private boolean enabled = true;

        /**
         * Request paths tracked as inferences. Segments: a literal; '*' (one segment); '{model}' (one segment that
         * names the model); a last '*' or '**' (everything below).
         */
        private List<String> paths = new ArrayList<>(List.of("/v1/completions", "/v1/chat/completions",
                "/v1/embeddings"));

        /** Request header that names the model; empty: none. */
        private String modelHeader = "X-Model";

        /** How many bytes of a JSON request body are read to find its "model" field; 0: never. */
        private int bodyPeekBytes = 16384;

        /** The model name of requests that name none; empty: "default". */
        private String defaultModel;

        /** HTTP status of requests refused for overload: 429 or 503 (draining is always 503). */
        private int overloadStatus = 429;

        /** Order of the tracking filter: after Spring Security's filter chain (-100) by default. */
        private int filterOrder = -90;

        private final Endpoints endpoints = new Endpoints();

        private final Drain drain = new Drain();

        /**
         * @return whether the filter and endpoints are registered
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * @param enabled whether the filter and endpoints are registered
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * @return the tracked path patterns
         */
        public List<String> getPaths() {
            return paths;
        }

        /**
         * @param paths the tracked path patterns
         */
        public void setPaths(List<String> paths) {
            this.paths = paths;
        }

        /**
         * @return the model header, or empty for none
         */
        public String getModelHeader() {
            return modelHeader;
        }

        /**
         * @param modelHeader the model header
         */
        public void setModelHeader(String modelHeader) {
            this.modelHeader = modelHeader;
        }

        /**
         * @return how many body bytes are read for the model name
         */
        public int getBodyPeekBytes() {
            return bodyPeekBytes;
        }

        /**
         * @param bodyPeekBytes how many body bytes are read for the model name
         */
        public void setBodyPeekBytes(int bodyPeekBytes) {
            this.bodyPeekBytes = bodyPeekBytes;
        }

        /**
         * @return the default model name, or {@code null}
         */
        public String getDefaultModel() {
            return defaultModel;
        }

        /**
         * @param defaultModel the default model name
         */
        public void setDefaultModel(String defaultModel) {
            this.defaultModel = defaultModel;
        }

        /**
         * @return the overload status
         */
        public int getOverloadStatus() {
            return overloadStatus;
        }

        /**
         * @param overloadStatus the overload status
         */
        public void setOverloadStatus(int overloadStatus) {
            this.overloadStatus = overloadStatus;
        }

        /**
         * @return the filter order
         */
        public int getFilterOrder() {
            return filterOrder;
        }

        /**
         * @param filterOrder the filter order
         */
        public void setFilterOrder(int filterOrder) {
            this.filterOrder = filterOrder;
        }

        /**
         * @return the bare endpoint paths
         */
        public Endpoints getEndpoints() {
            return endpoints;
        }

        /**
         * @return the drain endpoint settings
         */
        public Drain getDrain() {
            return drain;
        }
    }

    /** Paths of the bare endpoints on the main port; an empty path switches an endpoint off. */
    public static class Endpoints {

        /**
         * Running plus queued requests as a plain integer, for the guide's preStop loop (curl ... -eq 0).
         */
        private String activeRequests = "/active_requests";

        /** Readiness as 200 / 503 with the reasons; off by default (use /actuator/health/readiness). */
        private String ready;

        /** Liveness as 200 / 503; off by default (use /actuator/health/liveness). */
        private String health;

        /**
         * This replica's load as JSON for KEDA's metrics-api scaler (queueDepth, activeRequests,
         * capacityUtilization, per model); off by default.
         */
        private String autoscaling;

        /** A Prometheus scrape on the main port; off by default (use /actuator/prometheus). */
        private String metrics;

        /**
         * @return the active-requests path
         */
        public String getActiveRequests() {
            return activeRequests;
        }

        /**
         * @param activeRequests the active-requests path
         */
        public void setActiveRequests(String activeRequests) {
            this.activeRequests = activeRequests;
        }

        /**
         * @return the ready path
         */
        public String getReady() {
            return ready;
        }

        /**
         * @param ready the ready path
         */
        public void setReady(String ready) {
            this.ready = ready;
        }

        /**
         * @return the health path
         */
        public String getHealth() {
            return health;
        }

        /**
         * @param health the health path
         */
        public void setHealth(String health) {
            this.health = health;
        }

        /**
         * @return the autoscaling path
         */
        public String getAutoscaling() {
            return autoscaling;
        }

        /**
         * @param autoscaling the autoscaling path
         */
        public void setAutoscaling(String autoscaling) {
            this.autoscaling = autoscaling;
        }

        /**
         * @return the metrics path
         */
        public String getMetrics() {
            return metrics;
        }

        /**
         * @param metrics the metrics path
         */
        public void setMetrics(String metrics) {
            this.metrics = metrics;
        }
    }

    /** POST /drain: starts a drain on demand (for a preStop hook). Protected: loopback callers or a bearer token. */
    public static class Drain {

        /** Whether the drain endpoint is registered. */
        private boolean enabled;

        /** The drain endpoint's path. */
        private String path = "/drain";

        /** A bearer token (Authorization: Bearer ...) that authorizes a drain from any address. */
        private String token;

        /** Whether callers on a loopback address (a preStop hook in the pod) may drain without the token. */
        private boolean allowLoopback = true;

        /**
         * @return whether the drain endpoint is registered
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * @param enabled whether the drain endpoint is registered
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * @return the drain path
         */
        public String getPath() {
            return path;
        }

        /**
         * @param path the drain path
         */
        public void setPath(String path) {
            this.path = path;
        }

        /**
         * @return the bearer token, or {@code null}
         */
        public String getToken() {
            return token;
        }

        /**
         * @param token the bearer token
         */
        public void setToken(String token) {
            this.token = token;
        }

        /**
         * @return whether loopback callers need no token
         */
        public boolean isAllowLoopback() {
            return allowLoopback;
        }

        /**
         * @param allowLoopback whether loopback callers need no token
         */
        public void setAllowLoopback(boolean allowLoopback) {
            this.allowLoopback = allowLoopback;
        }
    }
}
