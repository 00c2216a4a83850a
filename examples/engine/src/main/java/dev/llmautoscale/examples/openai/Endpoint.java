package dev.llmautoscale.examples.openai;

/** The two generation endpoints. */
public enum Endpoint {
    /** {@code POST /v1/completions}: a {@code prompt}, answered with {@code text}. */
    COMPLETIONS("/v1/completions"),
    /** {@code POST /v1/chat/completions}: {@code messages}, answered with an assistant message. */
    CHAT_COMPLETIONS("/v1/chat/completions");

    private final String path;

    Endpoint(String path) {
        this.path = path;
    }

    /**
     * @return the request path
     */
    public String path() {
        return path;
    }
}
