package dev.llmautoscale.examples.spring;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.examples.engine.SimulatedEngine;
import dev.llmautoscale.examples.openai.OpenAiHandler;
import dev.llmautoscale.examples.settings.ExampleSettings;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The simulated engine and the protocol, on the starter's {@link LlmAutoscale}. */
@Configuration(proxyBeanMethods = false)
class EngineConfiguration {

    @Bean
    ExampleSettings exampleSettings(Environment environment) {
        return ExampleSettings.from(environment::getProperty);
    }

    /**
     * The engine. Its warm-up (the simulated model load, then a first inference, per model) goes straight into the
     * core lifecycle, with the same hook names as the Jetty example; the starter runs it after the context started
     * and holds readiness until it is done. Closed after the starter's drain, when the context is destroyed.
     */
    @Bean(destroyMethod = "close")
    SimulatedEngine simulatedEngine(ExampleSettings settings, LlmAutoscale autoscale, MeterRegistry registry) {
        SimulatedEngine engine = new SimulatedEngine(settings.models(), settings.engine(), settings.modelCache(),
                autoscale.tracker()::kvCacheUtilization);
        engine.bindTo(registry);
        engine.addWarmupHooks(autoscale.lifecycle());
        return engine;
    }

    @Bean
    OpenAiHandler openAiHandler(SimulatedEngine engine) {
        return new OpenAiHandler(engine);
    }
}
