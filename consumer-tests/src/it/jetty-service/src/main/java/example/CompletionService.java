package example;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.admission.AdmissionLimits;
import dev.llmautoscale.lifecycle.WarmupHook;
import dev.llmautoscale.servlet.LlmAutoscaleServlets;
import dev.llmautoscale.servlet.ServletSettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A small OpenAI-style completion service on embedded Jetty 12, wired the way SERVLET.md tells a user to: one
 * LlmAutoscale on a Prometheus registry, a warm-up hook that "loads the model", and the library's filter and endpoints
 * registered from a ServletContainerInitializer.
 */
public final class CompletionService implements AutoCloseable {

    private final Server server;
    private final LlmAutoscale autoscale;

    private CompletionService(Server server, LlmAutoscale autoscale) {
        this.server = server;
        this.autoscale = autoscale;
    }

    /**
     * Starts the service; it turns ready once {@code loadModel} has returned.
     *
     * @param port the port, 0 for any free one
     * @param loadModel the warm-up step
     * @return the running service
     * @throws Exception when Jetty cannot start
     */
    public static CompletionService start(int port, WarmupHook loadModel) throws Exception {
        LlmAutoscale autoscale = LlmAutoscale.builder(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .admission(AdmissionLimits.builder().enabled(true).maxConcurrency(8).queueCapacity(16).build())
                .build();
        autoscale.lifecycle().addWarmupHook("load-model", Duration.ofMinutes(2), loadModel);

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServletContainerInitializer((classes, ctx) ->
                LlmAutoscaleServlets.register(ctx, autoscale, ServletSettings.defaults()));
        ServletHolder completions = new ServletHolder(new CompletionsServlet());
        completions.setAsyncSupported(true); // queued requests are suspended, not parked on a thread (SERVLET.md)
        context.addServlet(completions, "/v1/completions");
        server.setHandler(context);
        server.start();
        autoscale.lifecycle().warmUpAsync();
        return new CompletionService(server, autoscale);
    }

    /**
     * Where the service listens.
     *
     * @return {@code http://127.0.0.1:<port>}
     */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
    }

    @Override
    public void close() throws Exception {
        server.stop();
        autoscale.close();
    }

    /**
     * Runs the service on port 8080 until it is killed.
     *
     * @param args ignored
     * @throws Exception when Jetty cannot start
     */
    public static void main(String[] args) throws Exception {
        CompletionService service = start(8080, () -> { });
        service.server.join();
    }

    /** Answers every completion with one fixed choice, like an engine would after generating. */
    static final class CompletionsServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            req.getInputStream().readAllBytes();
            resp.setContentType("application/json");
            resp.getOutputStream().write(("{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"choices\":"
                    + "[{\"index\":0,\"text\":\" world\",\"finish_reason\":\"stop\"}]}")
                    .getBytes(StandardCharsets.UTF_8));
        }
    }
}
