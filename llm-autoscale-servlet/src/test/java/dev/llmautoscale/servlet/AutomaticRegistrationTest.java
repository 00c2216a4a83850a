package dev.llmautoscale.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.CoreKeys;
import jakarta.servlet.ServletContainerInitializer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ServiceLoader;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar's {@code META-INF/services/jakarta.servlet.ServletContainerInitializer} is on a Tomcat web application's
 * class path: it installs nothing unless {@code llm.autoscale.servlet.auto-register=true}; then, with no code at
 * all, the application gets the filter and endpoints with an instance the library builds; {@code llm.autoscale.enabled}
 * still switches everything off.
 */
class AutomaticRegistrationTest {

    @TempDir
    Path baseDir;

    private Tomcat tomcat;

    @AfterEach
    void stop() throws Exception {
        System.clearProperty(CoreKeys.ENABLED.key());
        System.clearProperty(ServletKeys.AUTO_REGISTER.key());
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    @Test
    void theInitializerIsAServiceOnTheClassPath() {
        assertThat(ServiceLoader.load(ServletContainerInitializer.class).stream().map(ServiceLoader.Provider::type))
                .contains(LlmAutoscaleInitializer.class);
    }

    @Test
    void withoutTheSwitchTheJarInstallsNothing() throws Exception {
        int port = startWebapp();
        assertThat(get(port, "/health").statusCode()).isEqualTo(404);
        assertThat(get(port, "/active_requests").statusCode()).isEqualTo(404);
    }

    @Test
    void switchedOnAPlainWebApplicationGetsTheEndpointsAndTheLibraryBuildsItsInstance() throws Exception {
        System.setProperty(ServletKeys.AUTO_REGISTER.key(), "true");
        int port = startWebapp();
        HttpResponse<String> ready = get(port, "/ready");
        assertThat(ready.statusCode()).isEqualTo(200); // warmed up on start: no hooks
        assertThat(ready.body()).isEqualTo("{\"state\":\"ready\",\"ready\":true,\"reasons\":[]}");
        assertThat(get(port, "/active_requests").body()).isEqualTo("0");
        assertThat(get(port, "/metrics").body()).contains("# TYPE llm_active_requests gauge");
    }

    @Test
    void theMasterSwitchStillTurnsItOff() throws Exception {
        System.setProperty(ServletKeys.AUTO_REGISTER.key(), "true");
        System.setProperty(CoreKeys.ENABLED.key(), "false");
        int port = startWebapp();
        assertThat(get(port, "/health").statusCode()).isEqualTo(404);
    }

    private int startWebapp() throws Exception {
        tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        Path docBase = Files.createDirectories(baseDir.resolve("webapp"));
        tomcat.addWebapp("", docBase.toString()); // scans for ServletContainerInitializers, like a deployment
        tomcat.start();
        return connector.getLocalPort();
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        // /ready may need a moment while the library's warm-up thread runs
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (!path.equals("/ready") || r.statusCode() == 200 || System.nanoTime() - deadline > 0) {
                return r;
            }
            Thread.sleep(10);
        }
    }
}
