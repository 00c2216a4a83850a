package dev.llmautoscale.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServletAutoscaleConfigTest {

    @Test
    void defaultsServeTheOpenAiPathsWithDrainOff() {
        ServletAutoscaleConfig c = ServletAutoscaleConfig.defaults();
        assertThat(c.enabled()).isTrue();
        assertThat(c.paths()).containsExactly("/v1/completions", "/v1/chat/completions", "/v1/embeddings");
        assertThat(c.modelHeader()).isEqualTo("X-Model");
        assertThat(c.bodyPeekBytes()).isEqualTo(16 * 1024);
        assertThat(c.defaultModel()).isNull();
        assertThat(c.admission().enabled()).isFalse();
        assertThat(c.overloadStatus()).isEqualTo(429);
        assertThat(c.healthPath()).isEqualTo("/health");
        assertThat(c.readyPath()).isEqualTo("/ready");
        assertThat(c.activeRequestsPath()).isEqualTo("/active_requests");
        assertThat(c.metricsPath()).isEqualTo("/metrics");
        assertThat(c.autoscalingPath()).isEqualTo("/autoscaling");
        assertThat(c.drainEnabled()).isFalse();
        assertThat(c.drainAllowLoopback()).isTrue();
        assertThat(c.drainTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.metricsPort()).isEqualTo(-1);
        assertThat(c.warmUpOnStart()).isTrue();
        assertThat(ServletAutoscaleConfig.parse(key -> null).toString()).isEqualTo(c.toString());
    }

    @Test
    void parsesEveryKey() {
        Map<String, String> p = new HashMap<>();
        p.put(ServletAutoscaleConfig.ENABLED, "TRUE");
        p.put(ServletAutoscaleConfig.PATHS, " /v1/* , /v2/models/{model}/infer ");
        p.put(ServletAutoscaleConfig.MODEL_HEADER, "");
        p.put(ServletAutoscaleConfig.MODEL_BODY_PEEK_BYTES, "0");
        p.put(ServletAutoscaleConfig.MODEL_DEFAULT, "llama-13b");
        p.put(ServletAutoscaleConfig.ADMISSION_ENABLED, "true");
        p.put(ServletAutoscaleConfig.ADMISSION_MAX_CONCURRENCY, "32");
        p.put(ServletAutoscaleConfig.ADMISSION_QUEUE_CAPACITY, "64");
        p.put(ServletAutoscaleConfig.ADMISSION_MAX_QUEUE_WAIT, "2m");
        p.put(ServletAutoscaleConfig.ADMISSION_RETRY_AFTER, "1500ms");
        p.put(ServletAutoscaleConfig.ADMISSION_DRAIN_RETRY_AFTER, "PT10S");
        p.put(ServletAutoscaleConfig.ADMISSION_OVERLOAD_STATUS, "503");
        p.put(ServletAutoscaleConfig.MODELS_MAX, "4");
        p.put(ServletAutoscaleConfig.MODELS_ALLOW_LIST, "a, b");
        p.put(ServletAutoscaleConfig.ENDPOINTS_ENABLED, "false");
        p.put(ServletAutoscaleConfig.ENDPOINT_HEALTH, "/healthz");
        p.put(ServletAutoscaleConfig.ENDPOINT_READY, "");
        p.put(ServletAutoscaleConfig.ENDPOINT_ACTIVE_REQUESTS, "/inflight");
        p.put(ServletAutoscaleConfig.ENDPOINT_METRICS, "/prometheus");
        p.put(ServletAutoscaleConfig.ENDPOINT_AUTOSCALING, "/keda");
        p.put(ServletAutoscaleConfig.ENDPOINT_DRAIN, "/admin/drain");
        p.put(ServletAutoscaleConfig.DRAIN_ENABLED, "true");
        p.put(ServletAutoscaleConfig.DRAIN_TOKEN, "s3cret");
        p.put(ServletAutoscaleConfig.DRAIN_ALLOW_LOOPBACK, "false");
        p.put(ServletAutoscaleConfig.DRAIN_TIMEOUT, "90");
        p.put(ServletAutoscaleConfig.METRICS_PORT, "8001");
        p.put(ServletAutoscaleConfig.METRICS_BIND_ADDRESS, "127.0.0.1");
        p.put(ServletAutoscaleConfig.WARM_UP_ON_START, "false");
        assertThat(p.keySet()).isEqualTo(ServletAutoscaleConfig.KEYS);

        ServletAutoscaleConfig c = ServletAutoscaleConfig.parse(p::get);
        assertThat(c.paths()).containsExactly("/v1/*", "/v2/models/{model}/infer");
        assertThat(c.modelHeader()).isNull();
        assertThat(c.bodyPeekBytes()).isZero();
        assertThat(c.defaultModel()).isEqualTo("llama-13b");
        assertThat(c.admission().enabled()).isTrue();
        assertThat(c.admission().maxConcurrency()).isEqualTo(32);
        assertThat(c.admission().queueCapacity()).isEqualTo(64);
        assertThat(c.admission().maxQueueWait()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.admission().retryAfter()).isEqualTo(Duration.ofMillis(1500));
        assertThat(c.admission().drainRetryAfter()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.overloadStatus()).isEqualTo(503);
        assertThat(c.metrics().maxModels()).isEqualTo(4);
        assertThat(c.metrics().modelAllowList()).isEqualTo(Set.of("a", "b"));
        assertThat(c.endpointsEnabled()).isFalse();
        assertThat(c.healthPath()).isEqualTo("/healthz");
        assertThat(c.readyPath()).isNull();
        assertThat(c.activeRequestsPath()).isEqualTo("/inflight");
        assertThat(c.metricsPath()).isEqualTo("/prometheus");
        assertThat(c.autoscalingPath()).isEqualTo("/keda");
        assertThat(c.drainPath()).isEqualTo("/admin/drain");
        assertThat(c.drainEnabled()).isTrue();
        assertThat(c.drainToken()).isEqualTo("s3cret");
        assertThat(c.drainAllowLoopback()).isFalse();
        assertThat(c.drainTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.metricsPort()).isEqualTo(8001);
        assertThat(c.metricsBindAddress()).isEqualTo("127.0.0.1");
        assertThat(c.warmUpOnStart()).isFalse();
        assertThat(c.toString()).doesNotContain("s3cret");
        assertThat(c.toBuilder().build().toString()).isEqualTo(c.toString());
    }

    @Test
    void badValuesAreAllReportedWithTheirKeyAndVariable() {
        Map<String, String> p = Map.of(
                ServletAutoscaleConfig.ENABLED, "yes",
                ServletAutoscaleConfig.ADMISSION_MAX_CONCURRENCY, "lots",
                ServletAutoscaleConfig.ADMISSION_MAX_QUEUE_WAIT, "soon",
                ServletAutoscaleConfig.ADMISSION_OVERLOAD_STATUS, "500",
                ServletAutoscaleConfig.MODEL_BODY_PEEK_BYTES, "99999999",
                ServletAutoscaleConfig.PATHS, "v1/completions",
                ServletAutoscaleConfig.METRICS_PORT, "70000");
        assertThatThrownBy(() -> ServletAutoscaleConfig.parse(p::get))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("llm.autoscale.enabled (env LLM_AUTOSCALE_ENABLED) = 'yes': expected true or false")
                .hasMessageContaining("llm.autoscale.admission.max-concurrency (env LLM_AUTOSCALE_ADMISSION_MAX_CONCURRENCY)"
                        + " = 'lots': expected a whole number")
                .hasMessageContaining("llm.autoscale.admission.max-queue-wait")
                .hasMessageContaining("expected a duration such as 500ms, 30s, 2m, 1h or PT30S")
                .hasMessageContaining("llm.autoscale.admission.overload-status")
                .hasMessageContaining("expected 429 or 503")
                .hasMessageContaining("llm.autoscale.model.body-peek-bytes")
                .hasMessageContaining("llm.autoscale.paths (env LLM_AUTOSCALE_PATHS) = 'v1/completions'")
                .hasMessageContaining("llm.autoscale.metrics.port");
    }

    @Test
    void inconsistentSettingsAreRefused() {
        assertThatThrownBy(() -> ServletAutoscaleConfig.parse(Map.of(
                ServletAutoscaleConfig.ADMISSION_ENABLED, "true")::get))
                .hasMessageContaining("admission (llm.autoscale.admission.*)")
                .hasMessageContaining("no limit is set");
        assertThatThrownBy(() -> ServletAutoscaleConfig.builder().drainEnabled(true).drainAllowLoopback(false).build())
                .hasMessageContaining("nobody may call it");
        assertThatThrownBy(() -> ServletAutoscaleConfig.builder().paths(List.of()).build())
                .hasMessageContaining("at least one tracked path");
        assertThatThrownBy(() -> ServletAutoscaleConfig.builder().healthPath("health").modelHeader("X Model").build())
                .hasMessageContaining("endpoint path for health")
                .hasMessageContaining("not a valid HTTP header name");
    }

    @Test
    void durationsAcceptUnitsIsoAndSeconds() {
        assertThat(ServletAutoscaleConfig.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(ServletAutoscaleConfig.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(ServletAutoscaleConfig.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(ServletAutoscaleConfig.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(ServletAutoscaleConfig.parseDuration("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThat(ServletAutoscaleConfig.parseDuration("45")).isEqualTo(Duration.ofSeconds(45));
        assertThatThrownBy(() -> ServletAutoscaleConfig.parseDuration("1 fortnight"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void systemPropertiesBeatEnvironmentBeatFilterParametersBeatContextParameters() {
        Properties system = new Properties();
        system.setProperty("llm.autoscale.model.header", "X-Sys");
        Map<String, String> env = Map.of("LLM_AUTOSCALE_MODEL_HEADER", "X-Env", "LLM_AUTOSCALE_MODEL_DEFAULT", "env-model",
                "LLM_AUTOSCALE_TYPO", "1");
        Map<String, String> filter = Map.of("llm.autoscale.model.default", "filter-model",
                "llm.autoscale.drain.timeout", "5s");
        Map<String, String> context = Map.of("llm.autoscale.drain.timeout", "9s", "llm.autoscale.drain.enabled", "true");
        ConfigSources sources = new ConfigSources(system, env, filter::get, context::get);
        ServletAutoscaleConfig c = ServletAutoscaleConfig.parse(sources);
        assertThat(c.modelHeader()).isEqualTo("X-Sys");
        assertThat(c.defaultModel()).isEqualTo("env-model");
        assertThat(c.drainTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.drainEnabled()).isTrue();
        assertThat(sources.unknown(null)).containsExactly("environment variable LLM_AUTOSCALE_TYPO");
        assertThat(ServletAutoscaleConfig.environmentVariable(ServletAutoscaleConfig.ADMISSION_MAX_QUEUE_WAIT))
                .isEqualTo("LLM_AUTOSCALE_ADMISSION_MAX_QUEUE_WAIT");
    }
}
