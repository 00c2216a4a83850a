package dev.llmautoscale.metrics;

import dev.llmautoscale.settings.Problems;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How the core's meters are shaped: histogram buckets and the bounds on the {@code model} label.
 *
 * @param durationBuckets {@code llm_inference_duration_seconds} boundaries in seconds (default: the guide's)
 * @param timeToFirstTokenBuckets {@code llm_time_to_first_token_seconds} boundaries (default: vLLM's)
 * @param timePerOutputTokenBuckets {@code llm_time_per_output_token_seconds} boundaries (default: vLLM's)
 * @param queueTimeBuckets {@code llm_request_queue_time_seconds} boundaries (default: vLLM's)
 * @param modelAllowList when not empty, only these model names get their own label value; all others are
 *     reported as {@code other}
 * @param maxModels without an allow-list, the first this many distinct model names get their own label value
 * @param maxModelNameLength longer names (and names with control characters) are reported as {@code other}
 */
public record InferenceMetricsConfig(
        List<Double> durationBuckets,
        List<Double> timeToFirstTokenBuckets,
        List<Double> timePerOutputTokenBuckets,
        List<Double> queueTimeBuckets,
        Set<String> modelAllowList,
        int maxModels,
        int maxModelNameLength) {

    /** The label value for models beyond the cardinality bound. */
    public static final String OTHER_MODEL = "other";
    /** The label value for requests that name no model. */
    public static final String DEFAULT_MODEL = "default";
    /** The default bound on distinct model label values. */
    public static final int DEFAULT_MAX_MODELS = 32;
    /** The default bound on a model name's length. */
    public static final int DEFAULT_MAX_MODEL_NAME_LENGTH = 128;

    /**
     * Validates and copies the arguments; each problem is named by its key ({@link MetricsKeys}).
     *
     * @throws dev.llmautoscale.settings.InvalidSettingsException when a value is not allowed
     */
    public InferenceMetricsConfig {
        Objects.requireNonNull(modelAllowList, "modelAllowList");
        new Problems()
                .check(MetricsKeys.DURATION_BUCKETS, durationBuckets)
                .check(MetricsKeys.TIME_TO_FIRST_TOKEN_BUCKETS, timeToFirstTokenBuckets)
                .check(MetricsKeys.TIME_PER_OUTPUT_TOKEN_BUCKETS, timePerOutputTokenBuckets)
                .check(MetricsKeys.QUEUE_TIME_BUCKETS, queueTimeBuckets)
                .check(MetricsKeys.MODEL_ALLOW_LIST, new ArrayList<>(modelAllowList))
                .check(MetricsKeys.MAX_MODELS, maxModels)
                .check(MetricsKeys.MAX_MODEL_NAME_LENGTH, maxModelNameLength)
                .throwIfAny();
        durationBuckets = List.copyOf(durationBuckets);
        timeToFirstTokenBuckets = List.copyOf(timeToFirstTokenBuckets);
        timePerOutputTokenBuckets = List.copyOf(timePerOutputTokenBuckets);
        queueTimeBuckets = List.copyOf(queueTimeBuckets);
        modelAllowList = Collections.unmodifiableSet(new LinkedHashSet<>(modelAllowList));
    }

    /**
     * The defaults.
     *
     * @return the default configuration
     */
    public static InferenceMetricsConfig defaults() {
        return builder().build();
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds an {@link InferenceMetricsConfig}; every setter is optional. */
    public static final class Builder {
        private List<Double> durationBuckets = Buckets.GUIDE_DURATION;
        private List<Double> timeToFirstTokenBuckets = Buckets.TIME_TO_FIRST_TOKEN;
        private List<Double> timePerOutputTokenBuckets = Buckets.TIME_PER_OUTPUT_TOKEN;
        private List<Double> queueTimeBuckets = Buckets.QUEUE_TIME;
        private Set<String> modelAllowList = Set.of();
        private int maxModels = DEFAULT_MAX_MODELS;
        private int maxModelNameLength = DEFAULT_MAX_MODEL_NAME_LENGTH;

        private Builder() {
        }

        /**
         * @param seconds request duration buckets
         * @return this builder
         */
        public Builder durationBuckets(List<Double> seconds) {
            this.durationBuckets = seconds;
            return this;
        }

        /**
         * @param seconds time-to-first-token buckets
         * @return this builder
         */
        public Builder timeToFirstTokenBuckets(List<Double> seconds) {
            this.timeToFirstTokenBuckets = seconds;
            return this;
        }

        /**
         * @param seconds time-per-output-token buckets
         * @return this builder
         */
        public Builder timePerOutputTokenBuckets(List<Double> seconds) {
            this.timePerOutputTokenBuckets = seconds;
            return this;
        }

        /**
         * @param seconds queue time buckets
         * @return this builder
         */
        public Builder queueTimeBuckets(List<Double> seconds) {
            this.queueTimeBuckets = seconds;
            return this;
        }

        /**
         * @param models the only model names that get their own label value
         * @return this builder
         */
        public Builder modelAllowList(Set<String> models) {
            this.modelAllowList = models;
            return this;
        }

        /**
         * @param max how many distinct model names get their own label value without an allow-list
         * @return this builder
         */
        public Builder maxModels(int max) {
            this.maxModels = max;
            return this;
        }

        /**
         * @param max the longest model name kept as a label value
         * @return this builder
         */
        public Builder maxModelNameLength(int max) {
            this.maxModelNameLength = max;
            return this;
        }

        /**
         * @return the validated configuration
         * @throws IllegalArgumentException when a value is out of range
         */
        public InferenceMetricsConfig build() {
            return new InferenceMetricsConfig(durationBuckets, timeToFirstTokenBuckets, timePerOutputTokenBuckets,
                    queueTimeBuckets, modelAllowList, maxModels, maxModelNameLength);
        }
    }
}
