package dev.llmautoscale.examples.spring;

import dev.llmautoscale.examples.settings.ExampleSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Maps the examples' environment variables ({@link ExampleSettings}: the guide's {@code MODEL_NAME},
 * {@code MAX_CONCURRENT_REQUESTS}, {@code PORT}, {@code METRICS_PORT}, ...) to Spring Boot and starter properties, so
 * that both example servers are configured, and validated, the same way. The mapped properties have the lowest
 * precedence: a {@code --server.port=...} argument or an explicit {@code llm.autoscale.*} property still wins.
 */
public final class ExampleEnvironment implements EnvironmentPostProcessor {

    /** Name of the property source added. */
    public static final String SOURCE = "llm-autoscale-example-environment";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        ExampleSettings s = ExampleSettings.from(environment::getProperty);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("server.port", s.port());
        p.put("management.server.port", s.metricsPort());
        p.put("llm.autoscale.admission.enabled", true);
        p.put("llm.autoscale.admission.max-concurrency", s.maxConcurrentRequests());
        p.put("llm.autoscale.admission.queue-capacity", s.queueCapacity());
        p.put("llm.autoscale.admission.max-queue-wait", millis(s.maxQueueWait()));
        // Only the configured models get their own label value; requests that name none count under the first.
        p.put("llm.autoscale.metrics.model-allow-list", String.join(",", s.models()));
        p.put("llm.autoscale.servlet.default-model", s.models().get(0));
        p.put("llm.autoscale.lifecycle.pre-drain-delay", millis(s.preDrainDelay()));
        p.put("llm.autoscale.lifecycle.drain-timeout", millis(s.drainTimeout()));
        // DRAIN_TRIGGER_FILE=off: an empty key switches the watch off.
        p.put("llm.autoscale.lifecycle.drain-trigger-file", s.drainTriggerFile() == null ? "" : s.drainTriggerFile());
        environment.getPropertySources().addLast(new MapPropertySource(SOURCE, p));
    }

    private static String millis(Duration d) {
        return d.toMillis() + "ms";
    }
}
