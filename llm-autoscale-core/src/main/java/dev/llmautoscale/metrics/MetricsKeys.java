package dev.llmautoscale.metrics;

import dev.llmautoscale.settings.Setting;
import dev.llmautoscale.settings.SettingsReader;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The keys of {@link InferenceMetricsConfig}, {@code llm.autoscale.metrics.*}: histogram buckets and the bounds of
 * the {@code model} label, each with its one default and validation.
 */
public final class MetricsKeys {

    private static final String P = Setting.PREFIX + "metrics.";

    /** Model names that alone get their own label value. */
    public static final Setting<List<String>> MODEL_ALLOW_LIST = Setting.list(P + "model-allow-list", List.of(),
            "model names, not blank, not 'other'", MetricsKeys::checkAllowList,
            "Model names that get their own model label value; every other name is reported as \"other\". Empty: "
                    + "the first max-models distinct names get their own value.");
    /** Without an allow-list, how many names get their own label value. */
    public static final Setting<Integer> MAX_MODELS = Setting.integer(P + "max-models",
            InferenceMetricsConfig.DEFAULT_MAX_MODELS, 1, Integer.MAX_VALUE, "",
            "Without an allow-list, how many distinct model names get their own label value before \"other\".");
    /** Longer names are reported as {@code other}. */
    public static final Setting<Integer> MAX_MODEL_NAME_LENGTH = Setting.integer(P + "max-model-name-length",
            InferenceMetricsConfig.DEFAULT_MAX_MODEL_NAME_LENGTH, 1, Integer.MAX_VALUE, "",
            "Longer model names (and names with control characters) are reported as \"other\".");
    /** Buckets of {@code llm_inference_duration_seconds}. */
    public static final Setting<List<Double>> DURATION_BUCKETS = Setting.buckets(P + "buckets.duration",
            Buckets.GUIDE_DURATION, "Buckets of llm_inference_duration_seconds (the guide's).");
    /** Buckets of {@code llm_time_to_first_token_seconds}. */
    public static final Setting<List<Double>> TIME_TO_FIRST_TOKEN_BUCKETS = Setting.buckets(
            P + "buckets.time-to-first-token", Buckets.TIME_TO_FIRST_TOKEN,
            "Buckets of llm_time_to_first_token_seconds (vLLM's).");
    /** Buckets of {@code llm_time_per_output_token_seconds}. */
    public static final Setting<List<Double>> TIME_PER_OUTPUT_TOKEN_BUCKETS = Setting.buckets(
            P + "buckets.time-per-output-token", Buckets.TIME_PER_OUTPUT_TOKEN,
            "Buckets of llm_time_per_output_token_seconds (vLLM's inter-token latency buckets).");
    /** Buckets of {@code llm_request_queue_time_seconds}. */
    public static final Setting<List<Double>> QUEUE_TIME_BUCKETS = Setting.buckets(P + "buckets.queue-time",
            Buckets.QUEUE_TIME, "Buckets of llm_request_queue_time_seconds (vLLM's).");

    /** Every metrics setting. */
    public static final List<Setting<?>> ALL = List.of(MODEL_ALLOW_LIST, MAX_MODELS, MAX_MODEL_NAME_LENGTH,
            DURATION_BUCKETS, TIME_TO_FIRST_TOKEN_BUCKETS, TIME_PER_OUTPUT_TOKEN_BUCKETS, QUEUE_TIME_BUCKETS);

    private MetricsKeys() {
    }

    private static String checkAllowList(List<String> models) {
        for (String model : models) {
            if (model == null || model.isBlank()) {
                return "must not hold blank entries";
            }
            if (InferenceMetricsConfig.OTHER_MODEL.equals(model)) {
                return "must not hold '" + InferenceMetricsConfig.OTHER_MODEL
                        + "': it is reserved for models beyond the bound";
            }
        }
        return null;
    }

    /**
     * Reads the meter settings.
     *
     * @param r the reader; problems are kept in it
     * @return the settings (the defaults where a value is bad)
     */
    public static InferenceMetricsConfig read(SettingsReader r) {
        return r.build(() -> InferenceMetricsConfig.builder()
                .modelAllowList(new LinkedHashSet<>(r.get(MODEL_ALLOW_LIST)))
                .maxModels(r.get(MAX_MODELS))
                .maxModelNameLength(r.get(MAX_MODEL_NAME_LENGTH))
                .durationBuckets(r.get(DURATION_BUCKETS))
                .timeToFirstTokenBuckets(r.get(TIME_TO_FIRST_TOKEN_BUCKETS))
                .timePerOutputTokenBuckets(r.get(TIME_PER_OUTPUT_TOKEN_BUCKETS))
                .queueTimeBuckets(r.get(QUEUE_TIME_BUCKETS))
                .build(), InferenceMetricsConfig.defaults());
    }
}
