package dev.llmautoscale.examples.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExampleSettingsTest {

    @Test
    void defaultsFollowTheGuide() {
        ExampleSettings s = ExampleSettings.from(Map.<String, String>of()::get);
        assertThat(s.models()).containsExactly("llama-2-13b-chat");
        assertThat(s.port()).isEqualTo(8000);
        assertThat(s.metricsPort()).isEqualTo(8001);
        assertThat(s.engine().maxBatchSize()).isEqualTo(8);
        assertThat(s.maxConcurrentRequests()).isEqualTo(32);
        assertThat(s.shutdownBudget()).isEqualTo(Duration.ofSeconds(67));
        assertThat(s.modelCache().directory()).isEmpty();
    }

    @Test
    void readsEveryVariable() {
        Map<String, String> env = Map.ofEntries(Map.entry("MODEL_NAME", " llama-13b, llama-70b "),
                Map.entry("PORT", "0"), Map.entry("METRICS_PORT", "0"), Map.entry("MAX_BATCH_SIZE", "4"),
                Map.entry("MAX_CONCURRENT_REQUESTS", "6"), Map.entry("QUEUE_CAPACITY", "0"),
                Map.entry("MAX_QUEUE_WAIT_SECONDS", "2.5"), Map.entry("PREFILL_MS_PER_TOKEN", "0.1"),
                Map.entry("DECODE_MS_PER_TOKEN", "3"), Map.entry("BATCH_SLOWDOWN", "0"),
                Map.entry("KV_CACHE_TOKENS", "9000"), Map.entry("MAX_MODEL_LEN", "8192"),
                Map.entry("MODEL_LOAD_SECONDS", "0.5"), Map.entry("PRE_DRAIN_DELAY_SECONDS", "1"),
                Map.entry("DRAIN_TIMEOUT_SECONDS", "20"), Map.entry("SHUTDOWN_LINGER_SECONDS", "0"),
                Map.entry("MODEL_DIR", "/models"), Map.entry("MODEL_FETCH_SECONDS", "12"));
        ExampleSettings s = ExampleSettings.from(env::get);
        assertThat(s.models()).isEqualTo(List.of("llama-13b", "llama-70b"));
        assertThat(s.queueCapacity()).isZero();
        assertThat(s.maxQueueWait()).isEqualTo(Duration.ofMillis(2500));
        assertThat(s.engine().modelLoadTime()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.engine().kvCacheTokens()).isEqualTo(9000);
        assertThat(s.shutdownBudget()).isEqualTo(Duration.ofSeconds(21));
        assertThat(s.modelCache().directory()).contains(java.nio.file.Path.of("/models"));
        assertThat(s.modelCache().fetchTime()).isEqualTo(Duration.ofSeconds(12));
    }

    @Test
    void badValuesNameTheVariable() {
        assertThatThrownBy(() -> ExampleSettings.from(Map.of("MAX_BATCH_SIZE", "eight")::get))
                .isInstanceOf(SettingsException.class)
                .hasMessage("MAX_BATCH_SIZE must be an integer >= 1, got 'eight'");
        assertThatThrownBy(() -> ExampleSettings.from(Map.of("PORT", "70000")::get))
                .hasMessageContaining("PORT must be a TCP port");
        assertThatThrownBy(() -> ExampleSettings.from(Map.of("PORT", "9000", "METRICS_PORT", "9000")::get))
                .hasMessageContaining("must differ");
        assertThatThrownBy(() -> ExampleSettings.from(Map.of("MODEL_NAME", "a,,b")::get))
                .hasMessageContaining("empty model name");
        assertThatThrownBy(() -> ExampleSettings.from(Map.of("MODEL_NAME", "a,a")::get))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> ExampleSettings.from(Map.of("KV_CACHE_TOKENS", "100")::get))
                .hasMessageContaining("KV_CACHE_TOKENS (100) must be at least MAX_MODEL_LEN (4096)");
        assertThatThrownBy(() -> ExampleSettings.from(Map.of("DRAIN_TIMEOUT_SECONDS", "-1")::get))
                .hasMessageContaining("DRAIN_TIMEOUT_SECONDS must be a number of seconds");
        assertThatThrownBy(() -> ExampleSettings.from(Map.of("MODEL_DIR", "models")::get))
                .hasMessage("MODEL_DIR must be an absolute directory path, got 'models'");
        assertThatThrownBy(() -> ExampleSettings.from(Map.of("MODEL_DIR", "/m", "MODEL_FETCH_SECONDS", "x")::get))
                .hasMessageContaining("MODEL_FETCH_SECONDS must be a number of seconds");
        assertThatThrownBy(() -> ExampleSettings.from(Map.of("DECODE_MS_PER_TOKEN", "NaN")::get))
                .hasMessageContaining("DECODE_MS_PER_TOKEN must be a number >= 0");
    }
}
