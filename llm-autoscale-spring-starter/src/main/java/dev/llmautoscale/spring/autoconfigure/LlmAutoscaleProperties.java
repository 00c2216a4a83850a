package dev.llmautoscale.spring.autoconfigure;

import dev.llmautoscale.CoreKeys;
import dev.llmautoscale.admission.AdmissionLimits;
import dev.llmautoscale.gpu.GpuTelemetryOptions;
import dev.llmautoscale.lifecycle.LifecycleSettings;
import dev.llmautoscale.metrics.InferenceMetricsConfig;
import dev.llmautoscale.settings.InvalidSettingsException;
import dev.llmautoscale.settings.SettingProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Every key of llm-autoscale under {@code llm.autoscale.*}, bound by Spring Boot (relaxed binding: properties, YAML,
 * {@code LLM_AUTOSCALE_...} environment variables) onto the same settings records the servlet module reads:
 * {@link AdmissionLimits}, {@link InferenceMetricsConfig}, {@link GpuTelemetryOptions}, {@link LifecycleSettings} and
 * the servlet module's filter and endpoint settings. Each key's default and validation live next to its record
 * ({@code AdmissionKeys}, {@code MetricsKeys}, ...); {@code docs/CONFIGURATION.md} lists them all. A bad value fails
 * startup with a report naming the property ({@link LlmAutoscaleSettingsFailureAnalyzer}).
 */
@ConfigurationProperties(prefix = LlmAutoscaleProperties.PREFIX)
public class LlmAutoscaleProperties implements Validator {

    /** The prefix of every property. */
    public static final String PREFIX = "llm.autoscale";

    /** Whether llm-autoscale is auto-configured at all; false backs the whole starter off. */
    private boolean enabled = CoreKeys.ENABLED.defaultValue();

    /** Metric shape: buckets and model label bounds. */
    @NestedConfigurationProperty
    private final MetricsProperties metrics = new MetricsProperties();

    /** Admission control. */
    @NestedConfigurationProperty
    private final AdmissionProperties admission = new AdmissionProperties();

    /** Warm-up and drain. */
    @NestedConfigurationProperty
    private final LifecycleProperties lifecycle = new LifecycleProperties();

    /** GPU telemetry. */
    @NestedConfigurationProperty
    private final GpuProperties gpu = new GpuProperties();

    /** {@code @TrackInference}. */
    @NestedConfigurationProperty
    private final TrackingProperties tracking = new TrackingProperties();

    /** The tracking filter and the bare endpoints. */
    @NestedConfigurationProperty
    private final ServletProperties servlet = new ServletProperties();

    /**
     * @return whether llm-autoscale is auto-configured
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * @param enabled whether llm-autoscale is auto-configured
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * @return metric shape settings
     */
    public MetricsProperties getMetrics() {
        return metrics;
    }

    /**
     * @return admission control settings
     */
    public AdmissionProperties getAdmission() {
        return admission;
    }

    /**
     * @return warm-up and drain settings
     */
    public LifecycleProperties getLifecycle() {
        return lifecycle;
    }

    /**
     * @return GPU telemetry settings
     */
    public GpuProperties getGpu() {
        return gpu;
    }

    /**
     * @return {@code @TrackInference} settings
     */
    public TrackingProperties getTracking() {
        return tracking;
    }

    /**
     * @return tracking filter and bare endpoint settings
     */
    public ServletProperties getServlet() {
        return servlet;
    }

    /**
     * @return the core's metric configuration
     * @throws InvalidSettingsException naming each bad property
     */
    public InferenceMetricsConfig toMetricsConfig() {
        return metrics.toMetricsConfig();
    }

    /**
     * @return the core's admission limits
     * @throws InvalidSettingsException naming each bad property
     */
    public AdmissionLimits toAdmissionLimits() {
        return admission.toAdmissionLimits();
    }

    /**
     * @return the core's GPU telemetry options
     * @throws InvalidSettingsException naming each bad property
     */
    public GpuTelemetryOptions toGpuOptions() {
        return gpu.toGpuOptions();
    }

    /**
     * @return the core's lifecycle settings
     * @throws InvalidSettingsException naming each bad property
     */
    public LifecycleSettings toLifecycleSettings() {
        return lifecycle.toLifecycleSettings();
    }

    @Override
    public boolean supports(Class<?> clazz) {
        return LlmAutoscaleProperties.class.isAssignableFrom(clazz);
    }

    /**
     * Builds every settings record, so that the records' own validation (the same the servlet module applies) runs
     * while Spring Boot binds, and reports each problem against its property, such as
     * {@code llm.autoscale.admission.max-concurrency must be at least 0 (0 = unlimited), got -1}.
     */
    @Override
    public void validate(Object target, Errors errors) {
        LlmAutoscaleProperties p = (LlmAutoscaleProperties) target;
        List<SettingProblem> problems = new ArrayList<>();
        collect(problems, p::toMetricsConfig);
        collect(problems, p::toAdmissionLimits);
        collect(problems, p::toGpuOptions);
        collect(problems, p::toLifecycleSettings);
        if (ServletDefaults.PRESENT) {
            collect(problems, () -> ServletSettingsMapping.validate(p.getServlet()));
        }
        for (SettingProblem problem : problems) {
            errors.rejectValue(fieldOf(problem.key()), "llm.autoscale.invalid", problem.message());
        }
    }

    private static void collect(List<SettingProblem> problems, Supplier<?> build) {
        try {
            build.get();
        } catch (InvalidSettingsException e) {
            problems.addAll(e.problems());
        }
    }

    /**
     * The bean path of a key: {@code llm.autoscale.admission.max-concurrency} is {@code admission.maxConcurrency}.
     *
     * @param key a key
     * @return its path below these properties
     */
    static String fieldOf(String key) {
        String[] parts = key.substring(PREFIX.length() + 1).split("\\.");
        StringBuilder out = new StringBuilder();
        for (String part : parts) {
            if (out.length() > 0) {
                out.append('.');
            }
            boolean upper = false;
            for (char c : part.toCharArray()) {
                if (c == '-') {
                    upper = true;
                } else {
                    out.append(upper ? Character.toUpperCase(c) : c);
                    upper = false;
                }
            }
        }
        return out.toString();
    }
}
