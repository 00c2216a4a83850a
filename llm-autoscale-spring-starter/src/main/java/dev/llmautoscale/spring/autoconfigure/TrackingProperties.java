package dev.llmautoscale.spring.autoconfigure;

/**
 * {@code llm.autoscale.tracking.*}: {@code @TrackInference} on Spring beans (keys and defaults: {@link SpringKeys}).
 */
public class TrackingProperties {

    /** Whether beans with @TrackInference methods are proxied and tracked. */
    private boolean enabled = SpringKeys.TRACKING_ENABLED.defaultValue();

    /** Whether each element of a tracked Flux counts as one output token (llm_generation_tokens_total, llm_time_per_output_token_seconds). The first element always marks the first token. */
    private boolean streamElementsAreTokens = SpringKeys.STREAM_ELEMENTS_ARE_TOKENS.defaultValue();

    /**
     * @return whether beans with @TrackInference methods are proxied and tracked
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * @param enabled whether beans with @TrackInference methods are proxied and tracked
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * @return whether each element of a tracked Flux counts as one output token (llm_generation_tokens_total, llm_time_per_output_token_seconds). The first element always marks the first token
     */
    public boolean isStreamElementsAreTokens() {
        return streamElementsAreTokens;
    }

    /**
     * @param streamElementsAreTokens whether each element of a tracked Flux counts as one output token (llm_generation_tokens_total, llm_time_per_output_token_seconds). The first element always marks the first token
     */
    public void setStreamElementsAreTokens(boolean streamElementsAreTokens) {
        this.streamElementsAreTokens = streamElementsAreTokens;
    }


}
