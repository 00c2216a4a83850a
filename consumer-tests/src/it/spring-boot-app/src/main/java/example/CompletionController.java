package example;

import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** An OpenAI-style completion endpoint in front of the {@link Generator}. */
@RestController
public class CompletionController {

    private final Generator generator;

    CompletionController(Generator generator) {
        this.generator = generator;
    }

    /**
     * Answers one completion.
     *
     * @param request the OpenAI-style body; only {@code prompt} is read
     * @return the completion body
     */
    @PostMapping("/v1/completions")
    public Map<String, Object> complete(@RequestBody Map<String, Object> request) {
        String text = generator.complete(String.valueOf(request.get("prompt")));
        return Map.of("object", "text_completion",
                "choices", List.of(Map.of("index", 0, "text", text, "finish_reason", "stop")));
    }
}
