package dev.llmautoscale.spring.autoconfigure;

import dev.llmautoscale.metrics.MetricsKeys;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code llm.autoscale.metrics.buckets.*}: histogram bucket boundaries in seconds, strictly increasing. Spring Boot's
 * {@code management.metrics.distribution.*} settings for the same meter names still apply on top.
 */
public class BucketsProperties {

    /** Buckets of llm_inference_duration_seconds (the guide's: 0.1 0.5 1 2 5 10 30 60). */
    private List<Double> duration = new ArrayList<>(MetricsKeys.DURATION_BUCKETS.defaultValue());

    /** Buckets of llm_time_to_first_token_seconds (vLLM's by default). */
    private List<Double> timeToFirstToken = new ArrayList<>(MetricsKeys.TIME_TO_FIRST_TOKEN_BUCKETS.defaultValue());

    /** Buckets of llm_time_per_output_token_seconds (vLLM's inter-token latency buckets by default). */
    private List<Double> timePerOutputToken = new ArrayList<>(MetricsKeys.TIME_PER_OUTPUT_TOKEN_BUCKETS.defaultValue());

    /** Buckets of llm_request_queue_time_seconds (vLLM's by default). */
    private List<Double> queueTime = new ArrayList<>(MetricsKeys.QUEUE_TIME_BUCKETS.defaultValue());

    /**
     * @return buckets of llm_inference_duration_seconds (the guide's: 0.1 0.5 1 2 5 10 30 60)
     */
    public List<Double> getDuration() {
        return duration;
    }

    /**
     * @param duration buckets of llm_inference_duration_seconds (the guide's: 0.1 0.5 1 2 5 10 30 60)
     */
    public void setDuration(List<Double> duration) {
        this.duration = duration;
    }

    /**
     * @return buckets of llm_time_to_first_token_seconds (vLLM's by default)
     */
    public List<Double> getTimeToFirstToken() {
        return timeToFirstToken;
    }

    /**
     * @param timeToFirstToken buckets of llm_time_to_first_token_seconds (vLLM's by default)
     */
    public void setTimeToFirstToken(List<Double> timeToFirstToken) {
        this.timeToFirstToken = timeToFirstToken;
    }

    /**
     * @return buckets of llm_time_per_output_token_seconds (vLLM's inter-token latency buckets by default)
     */
    public List<Double> getTimePerOutputToken() {
        return timePerOutputToken;
    }

    /**
     * @param timePerOutputToken buckets of llm_time_per_output_token_seconds (vLLM's inter-token latency buckets by default)
     */
    public void setTimePerOutputToken(List<Double> timePerOutputToken) {
        this.timePerOutputToken = timePerOutputToken;
    }

    /**
     * @return buckets of llm_request_queue_time_seconds (vLLM's by default)
     */
    public List<Double> getQueueTime() {
        return queueTime;
    }

    /**
     * @param queueTime buckets of llm_request_queue_time_seconds (vLLM's by default)
     */
    public void setQueueTime(List<Double> queueTime) {
        this.queueTime = queueTime;
    }


}
