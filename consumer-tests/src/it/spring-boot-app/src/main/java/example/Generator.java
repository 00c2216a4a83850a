package example;

import dev.llmautoscale.tracking.TrackInference;
import org.springframework.stereotype.Service;

/** The generation service; each call is one tracked inference of model {@code consumer-model}. */
@Service
public class Generator {

    /**
     * Completes a prompt.
     *
     * @param prompt the prompt
     * @return the completion
     */
    @TrackInference(model = "consumer-model")
    public String complete(String prompt) {
        return prompt + " world";
    }
}
