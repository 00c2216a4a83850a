package dev.llmautoscale.examples.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmautoscale.examples.settings.SettingsException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerSettingsTest {

    private static WorkerSettings from(Map<String, String> env) {
        return WorkerSettings.from(env::get);
    }

    @Test
    void defaultsFollowTheGuide() {
        WorkerSettings s = from(Map.of("HOSTNAME", "llm-queue-worker-5d8f-abcde"));
        assertThat(s.redisHost()).isEqualTo("localhost");
        assertThat(s.redisPort()).isEqualTo(6379);
        assertThat(s.queue()).isEqualTo("inference_queue");
        assertThat(s.maxAttempts()).isEqualTo(3);
        assertThat(s.lease()).isEqualTo(Duration.ofSeconds(15));
        assertThat(s.resultTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(s.server().preDrainDelay()).as("no load balancer to wait for").isZero();
        assertThat(s.server().maxConcurrentRequests()).isEqualTo(32);
        assertThat(s.workerId()).matches("llm-queue-worker-5d8f-abcde-[0-9a-f]{1,6}");
        assertThat(from(Map.of()).workerId()).isNotEqualTo(from(Map.of()).workerId());
    }

    @Test
    void redisHostTakesTheAddressFormKedaReads() {
        WorkerSettings s = from(Map.of("REDIS_HOST", "redis.ml-workloads.svc:6380", "REDIS_PORT", "1"));
        assertThat(s.redisHost()).isEqualTo("redis.ml-workloads.svc");
        assertThat(s.redisPort()).isEqualTo(6380);
        assertThat(s.redisAddress()).isEqualTo("redis.ml-workloads.svc:6380");
        assertThat(from(Map.of("REDIS_HOST", "redis", "REDIS_PORT", "7000")).redisAddress()).isEqualTo("redis:7000");
        assertThat(from(Map.of("REDIS_HOST", "[::1]:6379")).redisHost()).isEqualTo("::1");
        assertThat(from(Map.of("PRE_DRAIN_DELAY_SECONDS", "3")).server().preDrainDelay())
                .isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void badValuesNameTheVariable() {
        assertThatThrownBy(() -> from(Map.of("REDIS_HOST", "redis:http"))).isInstanceOf(SettingsException.class)
                .hasMessage("REDIS_HOST must be a host or host:port with a port 1-65535, got 'redis:http'");
        assertThatThrownBy(() -> from(Map.of("MAX_ATTEMPTS", "0"))).isInstanceOf(SettingsException.class)
                .hasMessage("MAX_ATTEMPTS must be an integer from 1 to 100, got '0'");
        assertThatThrownBy(() -> from(Map.of("QUEUE_NAME", "a queue"))).isInstanceOf(SettingsException.class)
                .hasMessageContaining("QUEUE_NAME");
        assertThatThrownBy(() -> from(Map.of("WORKER_ID", "a b"))).isInstanceOf(SettingsException.class)
                .hasMessageContaining("WORKER_ID");
        assertThatThrownBy(() -> from(Map.of("MAX_CONCURRENT_REQUESTS", "x"))).isInstanceOf(SettingsException.class)
                .hasMessageContaining("MAX_CONCURRENT_REQUESTS");
    }
}
