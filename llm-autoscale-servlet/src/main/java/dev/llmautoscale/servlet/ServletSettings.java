package dev.llmautoscale.servlet;

import dev.llmautoscale.CoreKeys;
import dev.llmautoscale.lifecycle.LifecycleKeys;
import dev.llmautoscale.lifecycle.LifecycleSettings;
import dev.llmautoscale.servlet.endpoint.DrainEndpointSettings;
import dev.llmautoscale.servlet.endpoint.EndpointKeys;
import dev.llmautoscale.servlet.endpoint.EndpointSettings;
import dev.llmautoscale.servlet.endpoint.MetricsServerSettings;
import dev.llmautoscale.settings.SettingsReader;
import dev.llmautoscale.settings.SettingsSource;
import java.util.Objects;

/**
 * Everything {@link LlmAutoscaleServlets#register} installs: the filter, the endpoints, the drain endpoint, the
 * separate metrics server, and the drain timeout of {@code POST /drain}. Read from the keys with {@link #read}, or
 * start from {@link #defaults()} and replace parts.
 *
 * @param enabled whether anything is registered ({@code llm.autoscale.enabled} and
 *     {@code llm.autoscale.servlet.enabled})
 * @param autoRegister whether the container initializer registers with an instance of its own
 * @param filter the tracking filter's settings
 * @param endpoints the endpoint paths
 * @param drain the drain endpoint's settings
 * @param metricsServer the separate metrics server's settings
 * @param lifecycle the lifecycle settings (the drain timeout of {@code POST /drain}; warm-up of a built instance)
 */
public record ServletSettings(boolean enabled, boolean autoRegister, FilterSettings filter, EndpointSettings endpoints,
        DrainEndpointSettings drain, MetricsServerSettings metricsServer, LifecycleSettings lifecycle) {

    /** Checks that every part is given. */
    public ServletSettings {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(endpoints, "endpoints");
        Objects.requireNonNull(drain, "drain");
        Objects.requireNonNull(metricsServer, "metricsServer");
        Objects.requireNonNull(lifecycle, "lifecycle");
    }

    /**
     * @return the defaults of every key
     */
    public static ServletSettings defaults() {
        return new ServletSettings(CoreKeys.ENABLED.defaultValue() && ServletKeys.ENABLED.defaultValue(),
                ServletKeys.AUTO_REGISTER.defaultValue(), FilterSettings.defaults(), EndpointSettings.defaults(),
                DrainEndpointSettings.defaults(), MetricsServerSettings.defaults(), LifecycleSettings.defaults());
    }

    /**
     * Reads the settings; keys that are absent or blank keep their defaults.
     *
     * @param reader the reader (call {@link SettingsReader#throwIfInvalid()} after reading)
     * @return the settings
     */
    public static ServletSettings read(SettingsReader reader) {
        boolean enabled = reader.get(CoreKeys.ENABLED) & reader.get(ServletKeys.ENABLED);
        return new ServletSettings(enabled, reader.get(ServletKeys.AUTO_REGISTER), ServletKeys.readFilter(reader),
                EndpointKeys.readEndpoints(reader), EndpointKeys.readDrain(reader),
                EndpointKeys.readMetricsServer(reader), LifecycleKeys.read(reader));
    }

    /**
     * Reads the settings from one source.
     *
     * @param source the keys
     * @return the settings
     * @throws dev.llmautoscale.settings.InvalidSettingsException naming every bad key
     */
    public static ServletSettings read(SettingsSource source) {
        SettingsReader reader = new SettingsReader(source);
        ServletSettings s = read(reader);
        reader.throwIfInvalid();
        return s;
    }

    /**
     * @param settings the filter's settings
     * @return a copy with them
     */
    public ServletSettings withFilter(FilterSettings settings) {
        return new ServletSettings(enabled, autoRegister, settings, endpoints, drain, metricsServer, lifecycle);
    }

    /**
     * @param settings the endpoint paths
     * @return a copy with them
     */
    public ServletSettings withEndpoints(EndpointSettings settings) {
        return new ServletSettings(enabled, autoRegister, filter, settings, drain, metricsServer, lifecycle);
    }

    /**
     * @param settings the drain endpoint's settings
     * @return a copy with them
     */
    public ServletSettings withDrain(DrainEndpointSettings settings) {
        return new ServletSettings(enabled, autoRegister, filter, endpoints, settings, metricsServer, lifecycle);
    }

    /**
     * @param settings the separate metrics server's settings
     * @return a copy with them
     */
    public ServletSettings withMetricsServer(MetricsServerSettings settings) {
        return new ServletSettings(enabled, autoRegister, filter, endpoints, drain, settings, lifecycle);
    }

    /**
     * @param settings the lifecycle settings
     * @return a copy with them
     */
    public ServletSettings withLifecycle(LifecycleSettings settings) {
        return new ServletSettings(enabled, autoRegister, filter, endpoints, drain, metricsServer, settings);
    }
}
