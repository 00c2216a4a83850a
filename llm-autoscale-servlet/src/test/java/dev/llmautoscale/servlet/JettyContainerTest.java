package dev.llmautoscale.servlet;

import jakarta.servlet.ServletContainerInitializer;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** The container contract on embedded Jetty 12 (ee10, Servlet 6.0). */
class JettyContainerTest extends ServletContainerContract {

    @Override
    protected Container start(ServletContainerInitializer app) throws Exception {
        Server server = new Server();
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
