package dev.llmautoscale.examples.spring;

import dev.llmautoscale.examples.settings.ExampleSettings;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/** Prints what the server is and what to try, with the ports it listens on, once the application has started. */
@Component
class StartupBanner implements ApplicationListener<ApplicationReadyEvent> {

    private final ExampleSettings settings;

    StartupBanner(ExampleSettings settings) {
        this.settings = settings;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        int port = event.getApplicationContext() instanceof WebServerApplicationContext web
                ? web.getWebServer().getPort() : settings.port();
        String management = event.getApplicationContext().getEnvironment().getProperty("local.management.port",
                String.valueOf(settings.metricsPort()));
        String base = "localhost:" + port;
        System.out.println("llm-autoscale example Spring Boot server: a SIMULATED LLM engine (no model runs)\n"
                + "  models " + settings.models() + ", batch " + settings.engine().maxBatchSize() + ", max concurrent "
                + settings.maxConcurrentRequests() + ", queue " + settings.queueCapacity() + "\n"
                + "Try:\n"
                + "  curl -s " + base + "/v1/completions -H 'Content-Type: application/json'"
                + " -d '{\"prompt\":\"Hello\"}'\n"
                + "  curl -s " + base + "/ready   (503 until the simulated model load ends)\n"
                + "  curl -s " + base + "/active_requests\n"
                + "  curl -s localhost:" + management + "/metrics\n"
                + "  curl -s localhost:" + management + "/health/readiness\n"
                + "spring-boot-server: listening http=" + port + " metrics=" + management);
    }
}
