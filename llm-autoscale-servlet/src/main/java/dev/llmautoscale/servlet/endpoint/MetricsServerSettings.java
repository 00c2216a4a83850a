package dev.llmautoscale.servlet.endpoint;

import dev.llmautoscale.settings.Problems;
import org.jspecify.annotations.Nullable;

/**
 * The separate Prometheus server ({@link EndpointKeys}): off by default.
 *
 * @param port -1 off, 0 any free port, else the port
 * @param bindAddress the address to bind, or {@code null} for all
 */
public record MetricsServerSettings(int port, @Nullable String bindAddress) {

    /**
     * Validates the port.
     *
     * @param port -1 off, 0 any free port, else the port
     * @param bindAddress the address to bind, or {@code null} for all
     * @throws dev.llmautoscale.settings.InvalidSettingsException when it is out of range
     */
    public MetricsServerSettings {
        bindAddress = EndpointSettings.blankToNull(bindAddress);
        new Problems().check(EndpointKeys.METRICS_SERVER_PORT, port).throwIfAny();
    }

    /**
     * @return the defaults: off
     */
    public static MetricsServerSettings defaults() {
        return new MetricsServerSettings(EndpointKeys.METRICS_SERVER_PORT.defaultValue(),
                EndpointKeys.METRICS_SERVER_BIND_ADDRESS.defaultValue());
    }

    /**
     * @return whether a server is to be started
     */
    public boolean enabled() {
        return port >= 0;
    }
}
