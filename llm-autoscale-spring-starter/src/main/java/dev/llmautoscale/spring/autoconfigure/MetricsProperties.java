package dev.llmautoscale.spring.autoconfigure;

import dev.llmautoscale.metrics.InferenceMetricsConfig;
import dev.llmautoscale.metrics.MetricsKeys;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * {@code llm.autoscale.metrics.*}: histogram buckets and the bounds of the {@code model} label, bound onto
 * {@link InferenceMetricsConfig} (keys, defaults and validation: {@link MetricsKeys}).
 */
public class MetricsProperties {

    /** Model names that get their own model label value; every other name is reported as "other". Empty: the first max-models distinct names get their own value. */
    private List<String> modelAllowList = new ArrayList<>(MetricsKeys.MODEL_ALLOW_LIST.defaultValue());

    /** Without an allow-list, how many distinct model names get their own label value before "other". */
    private int maxModels = MetricsKeys.MAX_MODELS.defaultValue();

    /** Longer model names (and names with control characters) are reported as "other". */
    private int maxModelNameLength = MetricsKeys.MAX_MODEL_NAME_LENGTH.defaultValue();

    /** Histogram bucket boundaries, in seconds. */
    @NestedConfigurationProperty
    private final BucketsProperties buckets = new BucketsProperties();

    /**
     * @return model names that get their own model label value; every other name is reported as "other". Empty: the first max-models distinct names get their own value
     */
    public List<String> getModelAllowList() {
        return modelAllowList;
    }

    /**
     * @param modelAllowList model names that get their own model label value; every other name is reported as "other". Empty: the first max-models distinct names get their own value
     */
    public void setModelAllowList(List<String> modelAllowList) {
        this.modelAllowList = modelAllowList;
    }

    /**
     * @return without an allow-list, how many distinct model names get their own label value before "other"
     */
    public int getMaxModels() {
        return maxModels;
    }

    /**
     * @param maxModels without an allow-list, how many distinct model names get their own label value before "other"
     */
    public void setMaxModels(int maxModels) {
        this.maxModels = maxModels;
    }

    /**
     * @return longer model names (and names with control characters) are reported as "other"
     */
    public int getMaxModelNameLength() {
        return maxModelNameLength;
    }

    /**
     * @param maxModelNameLength longer model names (and names with control characters) are reported as "other"
     */
    public void setMaxModelNameLength(int maxModelNameLength) {
        this.maxModelNameLength = maxModelNameLength;
    }

    /**
     * @return histogram bucket boundaries, in seconds
     */
    public BucketsProperties getBuckets() {
        return buckets;
    }

    /**
     * @return the core's meter settings
     * @throws dev.llmautoscale.settings.InvalidSettingsException naming each bad property
     */
    public InferenceMetricsConfig toMetricsConfig() {
        return InferenceMetricsConfig.builder()
                .durationBuckets(buckets.getDuration())
                .timeToFirstTokenBuckets(buckets.getTimeToFirstToken())
                .timePerOutputTokenBuckets(buckets.getTimePerOutputToken())
                .queueTimeBuckets(buckets.getQueueTime())
                .modelAllowList(new LinkedHashSet<>(modelAllowList))
                .maxModels(maxModels)
                .maxModelNameLength(maxModelNameLength)
                .build();
    }

}
