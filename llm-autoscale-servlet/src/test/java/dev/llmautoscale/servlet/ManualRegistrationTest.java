package dev.llmautoscale.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.servlet.endpoint.ActiveRequestsServlet;
import dev.llmautoscale.servlet.endpoint.ReadyServlet;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The plain classes wired by name, as {@code web.xml} does: no-argument constructors, the instance from the context
 * attribute, settings from the filter's init parameters.
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
    void classesRegisteredByNameTakeTheInstanceFromTheContextAndTheirInitParameters() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        LlmAutoscale autoscale = LlmAutoscale.builder(registry).build();
        autoscale.lifecycle().warmUp();

        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/api");
        context.setAttribute(LlmAutoscaleServlets.AUTOSCALE_ATTRIBUTE, autoscale);
        FilterHolder filter = new FilterHolder(InferenceTrackingFilter.class);
        filter.setAsyncSupported(true);
        filter.setInitParameter(ServletAutoscaleConfig.PATHS, "/infer/*");
        filter.setInitParameter(ServletAutoscaleConfig.MODEL_DEFAULT, "served-model");
        context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(ReadyServlet.class), "/ready");
        context.addServlet(new ServletHolder(ActiveRequestsServlet.class), "/active_requests");
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
        assertThat(get(http, base + "/infer/anything").body()).isEqualTo("ok");
        assertThat(get(http, base + "/active_requests").body()).isEqualTo("0");
        Counter served = registry.find("llm.inference.requests").tags("model", "served-model", "status", "success")
                .counter();
        assertThat(served).isNotNull();
        assertThat(served.count()).isEqualTo(1);
        assertThat(registry.find("llm.time.to.first.token").tag("model", "served-model").timer().count()).isEqualTo(1);
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
