package dev.llmautoscale.servlet;

import jakarta.servlet.ServletContainerInitializer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.io.TempDir;

/** The container contract on embedded Tomcat 11 (Servlet 6.1). */
class TomcatContainerTest extends ServletContainerContract {

    @TempDir
    Path baseDir;

    @Override
    protected Container start(ServletContainerInitializer app) throws Exception {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector();
        connector.setPort(0);
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
