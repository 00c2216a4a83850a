package dev.llmautoscale.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * {@code java -jar examples/spring-boot-server/target/spring-boot-server.jar}: the example server as a Spring Boot 4
 * application. The guide's environment variables ({@code MODEL_NAME}, {@code PORT}, {@code METRICS_PORT}, ...) are
 * mapped to Spring properties by {@link ExampleEnvironment}.
 */
@SpringBootApplication
public class SpringBootServer {

    /**
     * Starts the application.
     *
     * @param args Spring Boot arguments ({@code --server.port=...} and the like win over the environment variables)
     */
    public static void main(String[] args) {
        SpringApplication.run(SpringBootServer.class, args);
    }
}
