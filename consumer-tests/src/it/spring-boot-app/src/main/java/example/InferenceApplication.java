package example;

import dev.llmautoscale.spring.lifecycle.InferenceWarmup;
import java.time.Duration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** An inference service on Spring Boot with the llm-autoscale starter: one warm-up step, one tracked service. */
@SpringBootApplication
public class InferenceApplication {

    /**
     * Starts the application.
     *
     * @param args Spring Boot's arguments
     */
    public static void main(String[] args) {
        SpringApplication.run(InferenceApplication.class, args);
    }

    /**
     * The warm-up step: readiness stays down until the model is loaded.
     *
     * @param model the engine's model
     * @return the step
     */
    @Bean
    InferenceWarmup loadModel(Model model) {
        return InferenceWarmup.of("load-model", Duration.ofMinutes(2), model::load);
    }
}
