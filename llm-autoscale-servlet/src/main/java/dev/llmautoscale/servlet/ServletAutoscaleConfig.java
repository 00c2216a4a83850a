package dev.llmautoscale.servlet;

import dev.llmautoscale.admission.AdmissionLimits;
import dev.llmautoscale.metrics.InferenceMetricsConfig;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Settings of the servlet integration: which paths are tracked, where the model name comes from, how refusals are
 * answered, which endpoints exist and, when this module builds the {@link dev.llmautoscale.LlmAutoscale} itself,
 * admission limits and model label bounds.
 *
 * <p>Build one with {@link #builder()}, or parse one from string properties with {@link #parse(Function)}; the
 * {@link LlmAutoscaleInitializer} reads the keys below from system properties, then environment variables (the key
 * in upper case with {@code .} and {@code -} turned into {@code _}, e.g. {@code LLM_AUTOSCALE_ENABLED}), then
 * context init parameters. Every key is documented in {@code docs/SERVLET.md}.
 */
public final class ServletAutoscaleConfig {

    /** Common prefix of every key. */
    public static final String PREFIX = "llm.autoscale.";
    /** {@code true} (default) or {@code false}: switches the automatic registration off. */
    public static final String ENABLED = PREFIX + "enabled";
    /** Comma-separated tracked path patterns (default: the OpenAI-compatible inference paths). */
    public static final String PATHS = PREFIX + "paths";
    /** Request header carrying the model name (default {@code X-Model}; empty: none). */
    public static final String MODEL_HEADER = PREFIX + "model.header";
    /** How many bytes of a JSON body are read to find its {@code model} field (default 16384; 0: never). */
    public static final String MODEL_BODY_PEEK_BYTES = PREFIX + "model.body-peek-bytes";
    /** The model name used when none is found (default: the core's {@code default}). */
    public static final String MODEL_DEFAULT = PREFIX + "model.default";
    /** Whether admission control refuses work over capacity (default {@code false}). */
    public static final String ADMISSION_ENABLED = PREFIX + "admission.enabled";
    /** Concurrent inferences (0: unlimited). */
    public static final String ADMISSION_MAX_CONCURRENCY = PREFIX + "admission.max-concurrency";
    /** Requests that may wait for a slot. */
    public static final String ADMISSION_QUEUE_CAPACITY = PREFIX + "admission.queue-capacity";
    /** The longest wait for a slot. */
    public static final String ADMISSION_MAX_QUEUE_WAIT = PREFIX + "admission.max-queue-wait";
    /** {@code Retry-After} when overloaded. */
    public static final String ADMISSION_RETRY_AFTER = PREFIX + "admission.retry-after";
    /** {@code Retry-After} while draining. */
    public static final String ADMISSION_DRAIN_RETRY_AFTER = PREFIX + "admission.drain-retry-after";
    /** HTTP status for an overload refusal: 429 (default) or 503. */
    public static final String ADMISSION_OVERLOAD_STATUS = PREFIX + "admission.overload-status";
    /** Distinct model label values before names are reported as {@code other} (default 32). */
    public static final String MODELS_MAX = PREFIX + "models.max";
    /** Comma-separated model names that alone get their own label value. */
    public static final String MODELS_ALLOW_LIST = PREFIX + "models.allow-list";
    /** Whether the endpoints are registered (default {@code true}). */
    public static final String ENDPOINTS_ENABLED = PREFIX + "endpoints.enabled";
    /** Path of the liveness endpoint (default {@code /health}; empty: not registered). */
    public static final String ENDPOINT_HEALTH = PREFIX + "endpoints.health";
    /** Path of the readiness endpoint (default {@code /ready}). */
    public static final String ENDPOINT_READY = PREFIX + "endpoints.ready";
    /** Path of the in-flight count endpoint (default {@code /active_requests}). */
    public static final String ENDPOINT_ACTIVE_REQUESTS = PREFIX + "endpoints.active-requests";
    /** Path of the Prometheus endpoint (default {@code /metrics}). */
    public static final String ENDPOINT_METRICS = PREFIX + "endpoints.metrics";
    /** Path of the KEDA metrics-api endpoint (default {@code /autoscaling}). */
    public static final String ENDPOINT_AUTOSCALING = PREFIX + "endpoints.autoscaling";
    /** Path of the drain endpoint (default {@code /drain}; only registered when draining is enabled). */
    public static final String ENDPOINT_DRAIN = PREFIX + "endpoints.drain";
    /** Whether {@code POST /drain} works (default {@code false}). */
    public static final String DRAIN_ENABLED = PREFIX + "drain.enabled";
    /** Bearer token that authorizes {@code POST /drain} from anywhere. */
    public static final String DRAIN_TOKEN = PREFIX + "drain.token";
    /** Whether loopback callers may drain without a token (default {@code true}). */
    public static final String DRAIN_ALLOW_LOOPBACK = PREFIX + "drain.allow-loopback";
    /** How long a drain waits for in-flight work (default 60 s). */
    public static final String DRAIN_TIMEOUT = PREFIX + "drain.timeout";
    /** Port of a separate metrics server (default: none; 0: any free port). */
    public static final String METRICS_PORT = PREFIX + "metrics.port";
    /** Address the separate metrics server binds (default: all). */
    public static final String METRICS_BIND_ADDRESS = PREFIX + "metrics.bind-address";
    /** Whether a self-built instance warms up (becomes ready) when the context starts (default {@code true}). */
    public static final String WARM_UP_ON_START = PREFIX + "lifecycle.warm-up-on-start";

    /** Every key {@link #parse(Function)} reads. */
    public static final Set<String> KEYS = Set.of(ENABLED, PATHS, MODEL_HEADER, MODEL_BODY_PEEK_BYTES, MODEL_DEFAULT,
            ADMISSION_ENABLED, ADMISSION_MAX_CONCURRENCY, ADMISSION_QUEUE_CAPACITY, ADMISSION_MAX_QUEUE_WAIT,
            ADMISSION_RETRY_AFTER, ADMISSION_DRAIN_RETRY_AFTER, ADMISSION_OVERLOAD_STATUS, MODELS_MAX,
            MODELS_ALLOW_LIST, ENDPOINTS_ENABLED, ENDPOINT_HEALTH, ENDPOINT_READY, ENDPOINT_ACTIVE_REQUESTS,
            ENDPOINT_METRICS, ENDPOINT_AUTOSCALING, ENDPOINT_DRAIN, DRAIN_ENABLED, DRAIN_TOKEN, DRAIN_ALLOW_LOOPBACK,
            DRAIN_TIMEOUT, METRICS_PORT, METRICS_BIND_ADDRESS, WARM_UP_ON_START);

    /** The default tracked paths: the OpenAI-compatible inference endpoints. */
    public static final List<String> DEFAULT_PATHS =
            List.of("/v1/completions", "/v1/chat/completions", "/v1/embeddings");
    /** The default model header. */
    public static final String DEFAULT_MODEL_HEADER = "X-Model";
    /** The default body peek: 16 KiB. */
    public static final int DEFAULT_BODY_PEEK_BYTES = 16 * 1024;
    /** The largest body peek allowed: 1 MiB. */
    public static final int MAX_BODY_PEEK_BYTES = 1024 * 1024;

    private final boolean enabled;
    private final List<String> paths;
    private final PathPatterns patterns;
    private final String modelHeader;
    private final int bodyPeekBytes;
    private final String defaultModel;
    private final AdmissionLimits admission;
    private final int overloadStatus;
    private final InferenceMetricsConfig metrics;
    private final boolean endpointsEnabled;
    private final String healthPath;
    private final String readyPath;
    private final String activeRequestsPath;
    private final String metricsPath;
    private final String autoscalingPath;
    private final String drainPath;
    private final boolean drainEnabled;
    private final String drainToken;
    private final boolean drainAllowLoopback;
    private final Duration drainTimeout;
    private final int metricsPort;
    private final String metricsBindAddress;
    private final boolean warmUpOnStart;

    private ServletAutoscaleConfig(Builder b) {
        List<String> problems = new ArrayList<>();
        this.enabled = b.enabled;
        this.paths = List.copyOf(b.paths);
        PathPatterns compiled = null;
        try {
            if (paths.isEmpty()) {
                problems.add("paths: at least one tracked path pattern is needed");
            } else {
                compiled = PathPatterns.compile(paths);
            }
        } catch (IllegalArgumentException e) {
            problems.add("paths: " + e.getMessage());
        }
        this.patterns = compiled;
        this.modelHeader = blankToNull(b.modelHeader);
        if (modelHeader != null && !isToken(modelHeader)) {
            problems.add("model header '" + modelHeader + "' is not a valid HTTP header name");
        }
        this.bodyPeekBytes = b.bodyPeekBytes;
        if (bodyPeekBytes < 0 || bodyPeekBytes > MAX_BODY_PEEK_BYTES) {
            problems.add("body peek must be 0 (off) to " + MAX_BODY_PEEK_BYTES + " bytes, got " + bodyPeekBytes);
        }
        this.defaultModel = blankToNull(b.defaultModel);
        this.admission = Objects.requireNonNull(b.admission, "admission");
        this.overloadStatus = b.overloadStatus;
        if (overloadStatus != 429 && overloadStatus != 503) {
            problems.add("overload status must be 429 or 503, got " + overloadStatus);
        }
        this.metrics = Objects.requireNonNull(b.metrics, "metrics");
        this.endpointsEnabled = b.endpointsEnabled;
        this.healthPath = endpointPath("health", b.healthPath, problems);
        this.readyPath = endpointPath("ready", b.readyPath, problems);
        this.activeRequestsPath = endpointPath("active-requests", b.activeRequestsPath, problems);
        this.metricsPath = endpointPath("metrics", b.metricsPath, problems);
        this.autoscalingPath = endpointPath("autoscaling", b.autoscalingPath, problems);
        this.drainPath = endpointPath("drain", b.drainPath, problems);
        this.drainEnabled = b.drainEnabled;
        this.drainToken = blankToNull(b.drainToken);
        this.drainAllowLoopback = b.drainAllowLoopback;
        this.drainTimeout = Objects.requireNonNull(b.drainTimeout, "drainTimeout");
        if (drainTimeout.isNegative()) {
            problems.add("drain timeout must not be negative, got " + drainTimeout);
        }
        if (drainEnabled && drainToken == null && !drainAllowLoopback) {
            problems.add("drain is enabled but nobody may call it: set a drain token or allow loopback callers");
        }
        this.metricsPort = b.metricsPort;
        if (metricsPort < -1 || metricsPort > 65535) {
            problems.add("metrics port must be -1 (off), 0 (any free port) or 1-65535, got " + metricsPort);
        }
        this.metricsBindAddress = blankToNull(b.metricsBindAddress);
        this.warmUpOnStart = b.warmUpOnStart;
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid llm-autoscale servlet settings: " + String.join("; ", problems));
        }
    }

    private static String endpointPath(String name, String path, List<String> problems) {
        String p = blankToNull(path);
        if (p != null && (p.charAt(0) != '/' || p.indexOf('*') >= 0 || p.length() < 2)) {
            problems.add("endpoint path for " + name + " must be an exact path such as '/" + name
                    + "' (or empty to disable), got '" + p + "'");
        }
        return p;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static boolean isToken(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return !name.isEmpty();
    }

    /**
     * The defaults: the OpenAI paths, model from {@code X-Model} or the JSON body, endpoints on, drain off.
     *
     * @return the default settings
     */
    public static ServletAutoscaleConfig defaults() {
        return builder().build();
    }

    /**
     * @return a builder holding the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads settings from string properties; keys that are absent or blank keep their defaults.
     *
     * @param properties looks a key (such as {@value #ENABLED}) up; returns {@code null} when it is not set
     * @return the settings
     * @throws IllegalArgumentException listing every bad value with its key and what was expected
     */
    public static ServletAutoscaleConfig parse(Function<String, String> properties) {
        Objects.requireNonNull(properties, "properties");
        Parser p = new Parser(properties);
        Builder b = builder();
        b.enabled(p.bool(ENABLED, b.enabled));
        List<String> paths = p.list(PATHS, b.paths);
        try {
            PathPatterns.compile(paths);
            b.paths(paths);
        } catch (IllegalArgumentException e) {
            p.bad(PATHS, String.join(",", paths), e.getMessage());
        }
        String header = properties.apply(MODEL_HEADER);
        if (header != null) {
            b.modelHeader(header); // empty switches the header off
        }
        b.bodyPeekBytes(p.integer(MODEL_BODY_PEEK_BYTES, b.bodyPeekBytes, 0, MAX_BODY_PEEK_BYTES));
        b.defaultModel(p.string(MODEL_DEFAULT, b.defaultModel));
        AdmissionLimits d = b.admission;
        AdmissionLimits.Builder limits = AdmissionLimits.builder()
                .enabled(p.bool(ADMISSION_ENABLED, d.enabled()))
                .maxConcurrency(p.integer(ADMISSION_MAX_CONCURRENCY, d.maxConcurrency(), 0, Integer.MAX_VALUE))
                .queueCapacity(p.integer(ADMISSION_QUEUE_CAPACITY, d.queueCapacity(), 0, Integer.MAX_VALUE))
                .maxQueueWait(p.duration(ADMISSION_MAX_QUEUE_WAIT, d.maxQueueWait()))
                .retryAfter(p.duration(ADMISSION_RETRY_AFTER, d.retryAfter()))
                .drainRetryAfter(p.duration(ADMISSION_DRAIN_RETRY_AFTER, d.drainRetryAfter()));
        int status = p.integer(ADMISSION_OVERLOAD_STATUS, b.overloadStatus, 0, 999);
        if (status == 429 || status == 503) {
            b.overloadStatus(status);
        } else {
            p.bad(ADMISSION_OVERLOAD_STATUS, Integer.toString(status), "expected 429 or 503");
        }
        InferenceMetricsConfig.Builder metrics = InferenceMetricsConfig.builder()
                .maxModels(p.integer(MODELS_MAX, InferenceMetricsConfig.DEFAULT_MAX_MODELS, 1, 100_000))
                .modelAllowList(new LinkedHashSet<>(p.list(MODELS_ALLOW_LIST, List.of())));
        b.endpointsEnabled(p.bool(ENDPOINTS_ENABLED, b.endpointsEnabled));
        b.healthPath(p.path(ENDPOINT_HEALTH, b.healthPath));
        b.readyPath(p.path(ENDPOINT_READY, b.readyPath));
        b.activeRequestsPath(p.path(ENDPOINT_ACTIVE_REQUESTS, b.activeRequestsPath));
        b.metricsPath(p.path(ENDPOINT_METRICS, b.metricsPath));
        b.autoscalingPath(p.path(ENDPOINT_AUTOSCALING, b.autoscalingPath));
        b.drainPath(p.path(ENDPOINT_DRAIN, b.drainPath));
        b.drainEnabled(p.bool(DRAIN_ENABLED, b.drainEnabled));
        b.drainToken(p.string(DRAIN_TOKEN, b.drainToken));
        b.drainAllowLoopback(p.bool(DRAIN_ALLOW_LOOPBACK, b.drainAllowLoopback));
        b.drainTimeout(p.duration(DRAIN_TIMEOUT, b.drainTimeout));
        b.metricsPort(p.integer(METRICS_PORT, b.metricsPort, -1, 65535));
        b.metricsBindAddress(p.string(METRICS_BIND_ADDRESS, b.metricsBindAddress));
        b.warmUpOnStart(p.bool(WARM_UP_ON_START, b.warmUpOnStart));
        try {
            b.admission(limits.build());
        } catch (IllegalArgumentException e) {
            p.problems.add("admission (" + PREFIX + "admission.*): " + e.getMessage());
        }
        try {
            b.metrics(metrics.build());
        } catch (IllegalArgumentException e) {
            p.problems.add("models (" + PREFIX + "models.*): " + e.getMessage());
        }
        if (!p.problems.isEmpty()) {
            throw new IllegalArgumentException("Invalid llm-autoscale settings: " + String.join("; ", p.problems));
        }
        return b.build();
    }

    /**
     * The environment variable that holds a key: upper case, {@code .} and {@code -} become {@code _}.
     *
     * @param key a key such as {@value #ENABLED}
     * @return the variable name, such as {@code LLM_AUTOSCALE_ENABLED}
     */
    public static String environmentVariable(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * Parses a duration: {@code 250ms}, {@code 30s}, {@code 2m}, {@code 1h}, ISO-8601 ({@code PT30S}) or a bare
     * number of seconds.
     *
     * @param text the text
     * @return the duration
     * @throws IllegalArgumentException when it is none of these
     */
    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("pt") || t.startsWith("p")) {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
            }
            if (t.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1).trim()));
            }
            if (t.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1).trim()));
            }
            if (t.endsWith("h")) {
                return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1).trim()));
            }
            return Duration.ofSeconds(Long.parseLong(t));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("expected a duration such as 500ms, 30s, 2m, 1h or PT30S");
        }
    }

    /** Collects parse problems instead of stopping at the first. */
    private static final class Parser {
        final Function<String, String> source;
        final List<String> problems = new ArrayList<>();

        Parser(Function<String, String> source) {
            this.source = source;
        }

        private String raw(String key) {
            String v = source.apply(key);
            return v == null || v.isBlank() ? null : v.trim();
        }

        private void bad(String key, String value, String expected) {
            problems.add(key + " (env " + environmentVariable(key) + ") = '" + value + "': " + expected);
        }

        boolean bool(String key, boolean dflt) {
            String v = raw(key);
            if (v == null) {
                return dflt;
            }
            if (v.equalsIgnoreCase("true")) {
                return true;
            }
            if (v.equalsIgnoreCase("false")) {
                return false;
            }
            bad(key, v, "expected true or false");
            return dflt;
        }

        int integer(String key, int dflt, int min, int max) {
            String v = raw(key);
            if (v == null) {
                return dflt;
            }
            try {
                int n = Integer.parseInt(v);
                if (n < min || n > max) {
                    bad(key, v, "expected a whole number from " + min + " to " + max);
                    return dflt;
                }
                return n;
            } catch (NumberFormatException e) {
                bad(key, v, "expected a whole number from " + min + " to " + max);
                return dflt;
            }
        }

        Duration duration(String key, Duration dflt) {
            String v = raw(key);
            if (v == null) {
                return dflt;
            }
            try {
                Duration d = parseDuration(v);
                if (d.isNegative()) {
                    bad(key, v, "must not be negative");
                    return dflt;
                }
                return d;
            } catch (IllegalArgumentException e) {
                bad(key, v, e.getMessage());
                return dflt;
            }
        }

        String string(String key, String dflt) {
            String v = raw(key);
            return v == null ? dflt : v;
        }

        String path(String key, String dflt) {
            String v = source.apply(key);
            return v == null ? dflt : v.trim(); // empty disables the endpoint
        }

        List<String> list(String key, List<String> dflt) {
            String v = raw(key);
            if (v == null) {
                return dflt;
            }
            List<String> out = new ArrayList<>();
            for (String part : v.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
            return out;
        }
    }

    /**
     * @return whether the automatic registration is on
     */
    public boolean enabled() {
        return enabled;
    }

    /**
     * @return the tracked path patterns, as configured
     */
    public List<String> paths() {
        return paths;
    }

    PathPatterns patterns() {
        return patterns;
    }

    /**
     * @return the request header naming the model, or {@code null} when none is read
     */
    public String modelHeader() {
        return modelHeader;
    }

    /**
     * @return how many leading bytes of a JSON body are read to find its {@code model} field; 0 when never
     */
    public int bodyPeekBytes() {
        return bodyPeekBytes;
    }

    /**
     * @return the model name used when a request names none, or {@code null} for the core's {@code default}
     */
    public String defaultModel() {
        return defaultModel;
    }

    /**
     * @return admission limits, used when this module builds the {@code LlmAutoscale} itself
     */
    public AdmissionLimits admission() {
        return admission;
    }

    /**
     * @return the HTTP status of an overload refusal: 429 or 503 (a drain refusal is always 503)
     */
    public int overloadStatus() {
        return overloadStatus;
    }

    /**
     * @return meter settings (model label bounds), used when this module builds the {@code LlmAutoscale} itself
     */
    public InferenceMetricsConfig metrics() {
        return metrics;
    }

    /**
     * @return whether endpoints are registered automatically
     */
    public boolean endpointsEnabled() {
        return endpointsEnabled;
    }

    /**
     * @return the liveness endpoint path, or {@code null} when disabled
     */
    public String healthPath() {
        return healthPath;
    }

    /**
     * @return the readiness endpoint path, or {@code null} when disabled
     */
    public String readyPath() {
        return readyPath;
    }

    /**
     * @return the in-flight count endpoint path, or {@code null} when disabled
     */
    public String activeRequestsPath() {
        return activeRequestsPath;
    }

    /**
     * @return the Prometheus endpoint path, or {@code null} when disabled
     */
    public String metricsPath() {
        return metricsPath;
    }

    /**
     * @return the KEDA metrics-api endpoint path, or {@code null} when disabled
     */
    public String autoscalingPath() {
        return autoscalingPath;
    }

    /**
     * @return the drain endpoint path, or {@code null} when disabled
     */
    public String drainPath() {
        return drainPath;
    }

    /**
     * @return whether {@code POST /drain} is allowed at all
     */
    public boolean drainEnabled() {
        return drainEnabled;
    }

    /**
     * @return the bearer token that authorizes a drain, or {@code null}
     */
    public String drainToken() {
        return drainToken;
    }

    /**
     * @return whether loopback callers may drain without a token
     */
    public boolean drainAllowLoopback() {
        return drainAllowLoopback;
    }

    /**
     * @return how long a drain waits for in-flight and queued work
     */
    public Duration drainTimeout() {
        return drainTimeout;
    }

    /**
     * @return the separate metrics server port: -1 when off, 0 for any free port
     */
    public int metricsPort() {
        return metricsPort;
    }

    /**
     * @return the address the separate metrics server binds, or {@code null} for all
     */
    public String metricsBindAddress() {
        return metricsBindAddress;
    }

    /**
     * @return whether a self-built instance runs its warm-up when the context starts
     */
    public boolean warmUpOnStart() {
        return warmUpOnStart;
    }

    /**
     * @return a builder holding these settings
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.enabled = enabled;
        b.paths = paths;
        b.modelHeader = modelHeader == null ? "" : modelHeader;
        b.bodyPeekBytes = bodyPeekBytes;
        b.defaultModel = defaultModel;
        b.admission = admission;
        b.overloadStatus = overloadStatus;
        b.metrics = metrics;
        b.endpointsEnabled = endpointsEnabled;
        b.healthPath = healthPath;
        b.readyPath = readyPath;
        b.activeRequestsPath = activeRequestsPath;
        b.metricsPath = metricsPath;
        b.autoscalingPath = autoscalingPath;
        b.drainPath = drainPath;
        b.drainEnabled = drainEnabled;
        b.drainToken = drainToken;
        b.drainAllowLoopback = drainAllowLoopback;
        b.drainTimeout = drainTimeout;
        b.metricsPort = metricsPort;
        b.metricsBindAddress = metricsBindAddress;
        b.warmUpOnStart = warmUpOnStart;
        return b;
    }

    @Override
    public String toString() {
        return "ServletAutoscaleConfig[enabled=" + enabled + ", paths=" + paths + ", modelHeader=" + modelHeader
                + ", bodyPeekBytes=" + bodyPeekBytes + ", defaultModel=" + defaultModel + ", admission=" + admission
                + ", overloadStatus=" + overloadStatus + ", endpoints=" + endpointsEnabled + ", drainEnabled="
                + drainEnabled + ", drainToken=" + (drainToken == null ? "none" : "***") + ", metricsPort="
                + metricsPort + "]";
    }

    /** Builds a {@link ServletAutoscaleConfig}; every setter is optional. */
    public static final class Builder {
        private boolean enabled = true;
        private List<String> paths = DEFAULT_PATHS;
        private String modelHeader = DEFAULT_MODEL_HEADER;
        private int bodyPeekBytes = DEFAULT_BODY_PEEK_BYTES;
        private String defaultModel;
        private AdmissionLimits admission = AdmissionLimits.disabled();
        private int overloadStatus = 429;
        private InferenceMetricsConfig metrics = InferenceMetricsConfig.defaults();
        private boolean endpointsEnabled = true;
        private String healthPath = "/health";
        private String readyPath = "/ready";
        private String activeRequestsPath = "/active_requests";
        private String metricsPath = "/metrics";
        private String autoscalingPath = "/autoscaling";
        private String drainPath = "/drain";
        private boolean drainEnabled;
        private String drainToken;
        private boolean drainAllowLoopback = true;
        private Duration drainTimeout = Duration.ofSeconds(60);
        private int metricsPort = -1;
        private String metricsBindAddress;
        private boolean warmUpOnStart = true;

        private Builder() {
        }

        /**
         * @param on whether the automatic registration is on
         * @return this builder
         */
        public Builder enabled(boolean on) {
            this.enabled = on;
            return this;
        }

        /**
         * @param patterns tracked path patterns ({@code /v1/completions}, {@code /v1/*},
         *     {@code /v2/models/{model}/infer})
         * @return this builder
         */
        public Builder paths(List<String> patterns) {
            this.paths = List.copyOf(patterns);
            return this;
        }

        /**
         * @param header the request header naming the model; {@code null} or empty for none
         * @return this builder
         */
        public Builder modelHeader(String header) {
            this.modelHeader = header;
            return this;
        }

        /**
         * @param bytes how many leading bytes of a JSON body to read for its {@code model} field; 0 for never
         * @return this builder
         */
        public Builder bodyPeekBytes(int bytes) {
            this.bodyPeekBytes = bytes;
            return this;
        }

        /**
         * @param model the model name when a request names none ({@code null}: the core's {@code default})
         * @return this builder
         */
        public Builder defaultModel(String model) {
            this.defaultModel = model;
            return this;
        }

        /**
         * @param limits admission limits for a self-built {@code LlmAutoscale}
         * @return this builder
         */
        public Builder admission(AdmissionLimits limits) {
            this.admission = limits;
            return this;
        }

        /**
         * @param status 429 or 503
         * @return this builder
         */
        public Builder overloadStatus(int status) {
            this.overloadStatus = status;
            return this;
        }

        /**
         * @param config meter settings for a self-built {@code LlmAutoscale}
         * @return this builder
         */
        public Builder metrics(InferenceMetricsConfig config) {
            this.metrics = config;
            return this;
        }

        /**
         * @param on whether endpoints are registered automatically
         * @return this builder
         */
        public Builder endpointsEnabled(boolean on) {
            this.endpointsEnabled = on;
            return this;
        }

        /**
         * @param path the liveness path; {@code null} or empty to disable
         * @return this builder
         */
        public Builder healthPath(String path) {
            this.healthPath = path;
            return this;
        }

        /**
         * @param path the readiness path; {@code null} or empty to disable
         * @return this builder
         */
        public Builder readyPath(String path) {
            this.readyPath = path;
            return this;
        }

        /**
         * @param path the in-flight count path; {@code null} or empty to disable
         * @return this builder
         */
        public Builder activeRequestsPath(String path) {
            this.activeRequestsPath = path;
            return this;
        }

        /**
         * @param path the Prometheus path; {@code null} or empty to disable
         * @return this builder
         */
        public Builder metricsPath(String path) {
            this.metricsPath = path;
            return this;
        }

        /**
         * @param path the KEDA metrics-api path; {@code null} or empty to disable
         * @return this builder
         */
        public Builder autoscalingPath(String path) {
            this.autoscalingPath = path;
            return this;
        }

        /**
         * @param path the drain path; {@code null} or empty to disable
         * @return this builder
         */
        public Builder drainPath(String path) {
            this.drainPath = path;
            return this;
        }

        /**
         * @param on whether {@code POST /drain} works
         * @return this builder
         */
        public Builder drainEnabled(boolean on) {
            this.drainEnabled = on;
            return this;
        }

        /**
         * @param token a bearer token that authorizes a drain from anywhere; {@code null} for none
         * @return this builder
         */
        public Builder drainToken(String token) {
            this.drainToken = token;
            return this;
        }

        /**
         * @param allow whether loopback callers may drain without a token
         * @return this builder
         */
        public Builder drainAllowLoopback(boolean allow) {
            this.drainAllowLoopback = allow;
            return this;
        }

        /**
         * @param timeout how long a drain waits for in-flight work
         * @return this builder
         */
        public Builder drainTimeout(Duration timeout) {
            this.drainTimeout = timeout;
            return this;
        }

        /**
         * @param port a separate metrics server port: -1 for none, 0 for any free port
         * @return this builder
         */
        public Builder metricsPort(int port) {
            this.metricsPort = port;
            return this;
        }

        /**
         * @param address the address the separate metrics server binds; {@code null} for all
         * @return this builder
         */
        public Builder metricsBindAddress(String address) {
            this.metricsBindAddress = address;
            return this;
        }

        /**
         * @param on whether a self-built instance warms up when the context starts
         * @return this builder
         */
        public Builder warmUpOnStart(boolean on) {
            this.warmUpOnStart = on;
            return this;
        }

        /**
         * @return the validated settings
         * @throws IllegalArgumentException listing every invalid value
         */
        public ServletAutoscaleConfig build() {
            return new ServletAutoscaleConfig(this);
        }
    }
}
