package dev.llmautoscale.servlet.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.llmautoscale.testsupport.Promtool;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The separate metrics port on client_java's HTTP server: the scrape of a Micrometer registry with the content
 * negotiation Prometheus relies on (text, OpenMetrics, protobuf, gzip, {@code name[]} filters).
 */
class MetricsServerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private PrometheusMeterRegistry registry;
    private MetricsServer server;

    @BeforeEach
    void start() throws IOException {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Counter.builder("llm.inference.requests").description("Inference requests").tag("model", "llama")
                .tag("status", "success").register(registry).increment(3);
        Counter.builder("other.events").description("Other events").register(registry).increment();
        server = MetricsServer.start(registry, new MetricsServerSettings(0, "127.0.0.1"));
    }

    @AfterEach
    void stop() {
        server.close();
        registry.close();
    }

    private HttpResponse<byte[]> get(String query, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"
                + query)).timeout(TIMEOUT).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void prometheusTextByDefaultThatPromtoolAccepts() throws Exception {
        HttpResponse<byte[]> r = get("");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("text/plain").contains("version=0.0.4"));
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(body).contains("llm_inference_requests_total{model=\"llama\",status=\"success\"} 3.0",
                "other_events_total 1.0");
        Promtool.Result lint = Promtool.checkMetrics(body);
        assertThat(lint.exitCode()).as("promtool check metrics:\n%s", lint.output()).isZero();
    }

    @Test
    void openMetricsWhenPrometheusAsksForIt() throws Exception {
        HttpResponse<byte[]> r = get("", "Accept",
                "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/openmetrics-text"));
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).endsWith("# EOF\n");
    }

    @Test
    void protobufGzipAndNameFilters() throws Exception {
        HttpResponse<byte[]> proto = get("", "Accept",
                "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited");
        assertThat(proto.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/vnd.google.protobuf"));
        assertThat(proto.body()).isNotEmpty();

        HttpResponse<byte[]> gzip = get("", "Accept-Encoding", "gzip");
        assertThat(gzip.headers().firstValue("Content-Encoding")).hasValue("gzip");
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).contains("llm_inference_requests_total");
        }

        String filtered = new String(get("?name[]=other_events_total").body(), StandardCharsets.UTF_8);
        assertThat(filtered).contains("other_events_total 1.0").doesNotContain("llm_inference_requests_total");
    }

    @Test
    void aPortInUseFailsAndOffIsRefused() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            assertThatThrownBy(() -> MetricsServer.start(registry, new MetricsServerSettings(taken.getLocalPort(),
                    null))).isInstanceOf(IOException.class);
        }
        assertThatThrownBy(() -> MetricsServer.start(registry, MetricsServerSettings.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("off");
        assertThat(server.port()).isPositive();
    }
}
