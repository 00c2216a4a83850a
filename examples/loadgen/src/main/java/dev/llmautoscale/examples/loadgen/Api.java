package dev.llmautoscale.examples.loadgen;

/** Which OpenAI-compatible endpoint the load goes to. */
public enum Api {
    /** {@code POST /v1/completions} with a {@code prompt}. */
    COMPLETIONS("/v1/completions"),
    /** {@code POST /v1/chat/completions} with one user message. */
    CHAT("/v1/chat/completions");

    private final String path;

    Api(String path) {
        this.path = path;
    }

    /**
     * @return the request path
     */
    public String path() {
        return path;
    }
}
