package dev.llmautoscale.servlet;

import dev.llmautoscale.settings.Problems;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the {@link InferenceTrackingFilter} tracks and how it answers refusals ({@link ServletKeys}).
 *
 * @param paths the tracked path patterns
 * @param modelHeader the request header naming the model, or {@code null} for none
 * @param bodyPeekBytes how many leading bytes of a JSON body are read for its {@code model} field; 0 never
 * @param defaultModel the model of requests that name none, or {@code null} for the core's {@code default}
 * @param overloadStatus 429 or 503 (a drain refusal is always 503)
 */
public record FilterSettings(List<String> paths, @Nullable String modelHeader, int bodyPeekBytes,
        @Nullable String defaultModel,
        int overloadStatus) {

    /**
     * Validates the settings.
     *
     * @param paths the tracked path patterns
     * @param modelHeader the request header naming the model, or {@code null} for none
     * @param bodyPeekBytes how many leading bytes of a JSON body are read for its {@code model} field; 0 never
     * @param defaultModel the model of requests that name none, or {@code null} for the core's {@code default}
     * @param overloadStatus 429 or 503 (a drain refusal is always 503)
     * @throws dev.llmautoscale.settings.InvalidSettingsException naming each bad key
     */
    public FilterSettings {
        paths = List.copyOf(Objects.requireNonNull(paths, "paths"));
        modelHeader = modelHeader == null || modelHeader.isBlank() ? null : modelHeader.trim();
        defaultModel = defaultModel == null || defaultModel.isBlank() ? null : defaultModel.trim();
        Problems problems = new Problems()
                .check(ServletKeys.PATHS, paths)
                .check(ServletKeys.MODEL_HEADER, modelHeader)
                .check(ServletKeys.BODY_PEEK_BYTES, bodyPeekBytes)
                .check(ServletKeys.OVERLOAD_STATUS, overloadStatus);
        problems.throwIfAny();
    }

    /**
     * @return the defaults: the OpenAI paths, model from {@code X-Model} or the first 16 KiB of a JSON body, 429
     */
    public static FilterSettings defaults() {
        return new FilterSettings(ServletKeys.PATHS.defaultValue(), ServletKeys.MODEL_HEADER.defaultValue(),
                ServletKeys.BODY_PEEK_BYTES.defaultValue(), ServletKeys.DEFAULT_MODEL.defaultValue(),
                ServletKeys.OVERLOAD_STATUS.defaultValue());
    }

    /**
     * @param patterns other tracked path patterns
     * @return a copy tracking those
     */
    public FilterSettings withPaths(List<String> patterns) {
        return new FilterSettings(patterns, modelHeader, bodyPeekBytes, defaultModel, overloadStatus);
    }

    /**
     * @param model the model of requests that name none
     * @return a copy with that default model
     */
    public FilterSettings withDefaultModel(@Nullable String model) {
        return new FilterSettings(paths, modelHeader, bodyPeekBytes, model, overloadStatus);
    }

    PathPatterns patterns() {
        return PathPatterns.compile(paths);
    }
}
