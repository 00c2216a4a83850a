package dev.llmautoscale.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.settings.SettingsSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Registration by code under a context path, with the keys given as a map: the filter and the endpoints get the
 * application's instance in their constructors, and the filter's paths and default model come from the keys.
 */
class ManualRegistrationTest {

    private Server server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void registeredByCodeWithTheApplicationsInstanceAndTheKeys() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LlmAutoscale autoscale = LlmAutoscale.builder(registry).build();
        autoscale.lifecycle().warmUp();
        ServletSettings settings = ServletSettings.read(SettingsSource.of(Map.of(
                "llm.autoscale.servlet.paths", "/infer/*",
                "llm.autoscale.servlet.default-model", "served-model",
                "llm.autoscale.servlet.endpoints.health", "")));

        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/api");
        context.addServletContainerInitializer((classes, ctx) -> {
            ServletInstallation installed = LlmAutoscaleServlets.register(ctx, autoscale, settings);
            assertThat(installed.filterRegistered()).isTrue();
            assertThat(installed.metricsServerPort()).isEmpty();
        });
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.getWriter().write("ok");
            }
        }), "/infer/*");
        server.setHandler(context);
        server.start();

        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + connector.getLocalPort() + "/api";
        assertThat(get(http, base + "/ready").statusCode()).isEqualTo(200);
        assertThat(get(http, base + "/health").statusCode()).as("switched off by an empty path").isEqualTo(404);
        assertThat(get(http, base + "/infer/anything").body()).isEqualTo("ok");
        assertThat(get(http, base + "/active_requests").body()).isEqualTo("0");
        Counter served = registry.find("llm.inference.requests").tags("model", "served-model", "status", "success")
                .counter();
        assertThat(served).isNotNull();
        assertThat(served.count()).isEqualTo(1);
        assertThat(registry.find("llm.time.to.first.token").tag("model", "served-model").timer().count()).isEqualTo(1);
        assertThat(registry.find("llm.inference.requests").tag("model", "default").counter())
                .as("/ready and /active_requests are not inferences").isNull();
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
