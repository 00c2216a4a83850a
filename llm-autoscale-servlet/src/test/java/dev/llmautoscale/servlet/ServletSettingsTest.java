package dev.llmautoscale.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmautoscale.lifecycle.LifecycleSettings;
import dev.llmautoscale.servlet.endpoint.DrainEndpointSettings;
import dev.llmautoscale.servlet.endpoint.EndpointKeys;
import dev.llmautoscale.servlet.endpoint.EndpointSettings;
import dev.llmautoscale.servlet.endpoint.MetricsServerSettings;
import dev.llmautoscale.settings.InvalidSettingsException;
import dev.llmautoscale.settings.Setting;
import dev.llmautoscale.settings.SettingsSource;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The servlet module's keys: defaults, every key read, every problem named, the order of the sources. */
class ServletSettingsTest {

    @Test
    void defaultsServeTheOpenAiPathsWithEveryEndpointOnAndDrainAndAutoRegistrationOff() {
        ServletSettings s = ServletSettings.defaults();
        assertThat(s.enabled()).isTrue();
        assertThat(s.autoRegister()).isFalse();
        FilterSettings f = s.filter();
        assertThat(f.paths()).containsExactly("/v1/completions", "/v1/chat/completions", "/v1/embeddings");
        assertThat(f.modelHeader()).isEqualTo("X-Model");
        assertThat(f.bodyPeekBytes()).isEqualTo(16 * 1024);
        assertThat(f.defaultModel()).isNull();
        assertThat(f.overloadStatus()).isEqualTo(429);
        assertThat(s.endpoints()).isEqualTo(new EndpointSettings(true, "/health", "/ready", "/active_requests",
                "/metrics", "/autoscaling"));
        assertThat(s.drain()).isEqualTo(new DrainEndpointSettings(false, "/drain", null, true));
        assertThat(s.metricsServer()).isEqualTo(new MetricsServerSettings(-1, null));
        assertThat(s.lifecycle().drainTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(ServletSettings.read(SettingsSource.of(Map.of()))).isEqualTo(s);
    }

    @Test
    void readsEveryKey() {
        Map<String, String> p = new HashMap<>();
        p.put("llm.autoscale.enabled", "TRUE");
        p.put("llm.autoscale.servlet.enabled", "true");
        p.put("llm.autoscale.servlet.auto-register", "true");
        p.put("llm.autoscale.servlet.paths", " /v1/* , /v2/models/{model}/infer ");
        p.put("llm.autoscale.servlet.model-header", "");
        p.put("llm.autoscale.servlet.body-peek-bytes", "0");
        p.put("llm.autoscale.servlet.default-model", "llama-13b");
        p.put("llm.autoscale.servlet.overload-status", "503");
        p.put("llm.autoscale.servlet.endpoints.enabled", "false");
        p.put("llm.autoscale.servlet.endpoints.health", "/healthz");
        p.put("llm.autoscale.servlet.endpoints.ready", "");
        p.put("llm.autoscale.servlet.endpoints.active-requests", "/inflight");
        p.put("llm.autoscale.servlet.endpoints.metrics", "/prometheus");
        p.put("llm.autoscale.servlet.endpoints.autoscaling", "/keda");
        p.put("llm.autoscale.servlet.drain.enabled", "true");
        p.put("llm.autoscale.servlet.drain.path", "/admin/drain");
        p.put("llm.autoscale.servlet.drain.token", "s3cret");
        p.put("llm.autoscale.servlet.drain.allow-loopback", "false");
        p.put("llm.autoscale.servlet.metrics-server.port", "8001");
        p.put("llm.autoscale.servlet.metrics-server.bind-address", "127.0.0.1");
        Set<String> servletKeys = new HashSet<>();
        ServletKeys.ALL.forEach(k -> servletKeys.add(k.key()));
        servletKeys.add("llm.autoscale.enabled");
        assertThat(p.keySet()).isEqualTo(servletKeys);
        p.put("llm.autoscale.lifecycle.drain-timeout", "90");

        ServletSettings s = ServletSettings.read(SettingsSource.of(p));
        assertThat(s.enabled()).isTrue();
        assertThat(s.autoRegister()).isTrue();
        assertThat(s.filter()).isEqualTo(new FilterSettings(List.of("/v1/*", "/v2/models/{model}/infer"), null, 0,
                "llama-13b", 503));
        assertThat(s.endpoints()).isEqualTo(new EndpointSettings(false, "/healthz", null, "/inflight", "/prometheus",
                "/keda"));
        assertThat(s.drain()).isEqualTo(new DrainEndpointSettings(true, "/admin/drain", "s3cret", false));
        assertThat(s.drain().toString()).doesNotContain("s3cret");
        assertThat(s.metricsServer()).isEqualTo(new MetricsServerSettings(8001, "127.0.0.1"));
        assertThat(s.lifecycle()).isEqualTo(LifecycleSettings.builder().drainTimeout(Duration.ofSeconds(90)).build());
    }

    @Test
    void eitherSwitchTurnsEverythingOff() {
        assertThat(ServletSettings.read(SettingsSource.of(Map.of("llm.autoscale.enabled", "false"))).enabled())
                .isFalse();
        assertThat(ServletSettings.read(SettingsSource.of(Map.of("llm.autoscale.servlet.enabled", "false")))
                .enabled()).isFalse();
    }

    @Test
    void badValuesAreAllReportedWithTheirKeyAndVariable() {
        Map<String, String> p = Map.of(
                "llm.autoscale.enabled", "yes",
                "llm.autoscale.admission.max-concurrency", "lots",
                "llm.autoscale.servlet.overload-status", "500",
                "llm.autoscale.servlet.body-peek-bytes", "99999999",
                "llm.autoscale.servlet.paths", "v1/completions",
                "llm.autoscale.servlet.metrics-server.port", "70000",
                "llm.autoscale.servlet.endpoints.ready", "ready",
                "llm.autoscale.lifecycle.drain-timeout", "soon");
        assertThatThrownBy(() -> {
            dev.llmautoscale.settings.SettingsReader r = new dev.llmautoscale.settings.SettingsReader(
                    SettingsSource.of(p));
            ServletSettings.read(r);
            dev.llmautoscale.admission.AdmissionKeys.read(r);
            r.throwIfInvalid();
        }).isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("llm.autoscale.enabled expected true or false (environment variable "
                        + "LLM_AUTOSCALE_ENABLED) (value 'yes')")
                .hasMessageContaining("llm.autoscale.admission.max-concurrency expected a whole number (environment "
                        + "variable LLM_AUTOSCALE_ADMISSION_MAX_CONCURRENCY) (value 'lots')")
                .hasMessageContaining("llm.autoscale.servlet.overload-status must be 429 or 503, got 500")
                .hasMessageContaining("llm.autoscale.servlet.body-peek-bytes must be from 0 to 1048576 (0 = never)")
                .hasMessageContaining("llm.autoscale.servlet.paths holds a bad pattern: path pattern 'v1/completions' "
                        + "must start with '/'")
                .hasMessageContaining("llm.autoscale.servlet.metrics-server.port must be from -1 to 65535")
                .hasMessageContaining("llm.autoscale.servlet.endpoints.ready must be an exact path starting with '/'")
                .hasMessageContaining("llm.autoscale.lifecycle.drain-timeout expected a duration such as 500ms, 30s, "
                        + "2m, 1h or PT30S");
    }

    @Test
    void inconsistentSettingsAreRefusedNamingTheKeyAtFault() {
        assertThatThrownBy(() -> new DrainEndpointSettings(true, "/drain", null, false))
                .hasMessageContaining("llm.autoscale.servlet.drain.allow-loopback is false and no "
                        + "llm.autoscale.servlet.drain.token is set: nobody could call the drain endpoint");
        assertThatThrownBy(() -> FilterSettings.defaults().withPaths(List.of()))
                .hasMessageContaining("llm.autoscale.servlet.paths must name at least one tracked path pattern");
        assertThatThrownBy(() -> new FilterSettings(List.of("/v1/*"), "X Model", 0, null, 429))
                .hasMessageContaining("llm.autoscale.servlet.model-header must be a valid HTTP header name, got "
                        + "'X Model'");
        assertThatThrownBy(() -> new EndpointSettings(true, "health", null, null, null, null))
                .hasMessageContaining("llm.autoscale.servlet.endpoints.health must be an exact path");
    }

    @Test
    void systemPropertiesBeatEnvironmentBeatContextParameters() {
        Properties system = new Properties();
        system.setProperty("llm.autoscale.servlet.model-header", "X-Sys");
        system.setProperty("llm.autoscale.models.max", "4"); // a renamed key
        Map<String, String> env = Map.of("LLM_AUTOSCALE_SERVLET_MODEL_HEADER", "X-Env",
                "LLM_AUTOSCALE_SERVLET_DEFAULT_MODEL", "env-model", "LLM_AUTOSCALE_TYPO", "1",
                "LLM_AUTOSCALE_NVML_LIBRARY", "/opt/libnvidia-ml.so");
        Map<String, String> context = Map.of("llm.autoscale.lifecycle.drain-timeout", "9s",
                "llm.autoscale.servlet.default-model", "context-model", "llm.autoscale.servlet.drain.enabled", "true");
        ConfigSources sources = new ConfigSources(system, env, context::get);
        ServletSettings s = ServletSettings.read(sources);
        assertThat(s.filter().modelHeader()).isEqualTo("X-Sys");
        assertThat(s.filter().defaultModel()).isEqualTo("env-model");
        assertThat(s.lifecycle().drainTimeout()).isEqualTo(Duration.ofSeconds(9));
        assertThat(s.drain().enabled()).isTrue();
        assertThat(sources.unknown(null)).containsExactly("environment variable LLM_AUTOSCALE_TYPO",
                "system property llm.autoscale.models.max");
        assertThat(Setting.environmentVariable(EndpointKeys.METRICS_SERVER_BIND_ADDRESS.key()))
                .isEqualTo("LLM_AUTOSCALE_SERVLET_METRICS_SERVER_BIND_ADDRESS");
    }
}
