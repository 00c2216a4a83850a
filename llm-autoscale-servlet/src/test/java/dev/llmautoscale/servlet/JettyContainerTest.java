package dev.llmautoscale.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletContainerInitializer;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;

/** The container contract on embedded Jetty 12 (ee10, Servlet 6.0). */
class JettyContainerTest extends ServletContainerContract {

    /** docs/SERVLET.md: unlike Tomcat, Jetty keeps a keep-alive connection open after a 503. */
    @Test
    void jettyKeepsTheConnectionAfterA503() throws Exception {
        RawExchange exchange = rawExchangeAfter503();
        assertThat(exchange.connectionHeader()).isNull();
        assertThat(exchange.nextStatusOnSameConnection()).isEqualTo(200);
    }

    @Override
    protected Container start(ServletContainerInitializer app, int maxThreads) throws Exception {
        Server server = maxThreads > 0 ? new Server(new QueuedThreadPool(maxThreads, maxThreads)) : new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServletContainerInitializer(app);
        server.setHandler(context);
        server.start();
        int port = connector.getLocalPort();
        return new Container() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public void stop() throws Exception {
                server.stop();
            }
        };
    }
}
