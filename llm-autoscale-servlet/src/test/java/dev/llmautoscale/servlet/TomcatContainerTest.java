package dev.llmautoscale.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletContainerInitializer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The container contract on embedded Tomcat 11 (Servlet 6.1). */
class TomcatContainerTest extends ServletContainerContract {

    /** docs/SERVLET.md: Tomcat closes a keep-alive connection after any 503, with Connection: close. */
    @Test
    void tomcatClosesTheConnectionAfterA503() throws Exception {
        RawExchange exchange = rawExchangeAfter503();
        assertThat(exchange.connectionHeader()).isEqualToIgnoringCase("close");
        assertThat(exchange.nextStatusOnSameConnection()).isEqualTo(-1); // the server closed the socket
    }

    @TempDir
    Path baseDir;

    @Override
    protected Container start(ServletContainerInitializer app, int maxThreads) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        if (maxThreads > 0) {
            connector.setProperty("maxThreads", Integer.toString(maxThreads));
            connector.setProperty("minSpareThreads", Integer.toString(maxThreads));
        }
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Path docBase = Files.createDirectories(baseDir.resolve("docs"));
        Context context = tomcat.addContext("", docBase.toString());
        context.addServletContainerInitializer(app, null);
        tomcat.start();
        int port = connector.getLocalPort();
        return new Container() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public void stop() throws Exception {
                tomcat.stop();
                tomcat.destroy();
            }
        };
    }
}
