package dev.llmautoscale.servlet.endpoint;

import dev.llmautoscale.settings.Problems;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /drain} ({@link EndpointKeys}): off by default; when on, callable from a loopback address or with the
 * bearer token.
 *
 * @param enabled whether it is registered
 * @param path its path
 * @param token the bearer token that authorizes a drain from anywhere, or {@code null}
 * @param allowLoopback whether loopback callers need no token
 */
public record DrainEndpointSettings(boolean enabled, @Nullable String path, @Nullable String token,
        boolean allowLoopback) {

    /**
     * Validates the settings.
     *
     * @param enabled whether it is registered
     * @param path its path
     * @param token the bearer token that authorizes a drain from anywhere, or {@code null}
     * @param allowLoopback whether loopback callers need no token
     * @throws dev.llmautoscale.settings.InvalidSettingsException naming each bad key
     */
    public DrainEndpointSettings {
        path = EndpointSettings.blankToNull(path);
        token = EndpointSettings.blankToNull(token);
        Problems problems = new Problems().check(EndpointKeys.DRAIN_PATH, path);
        if (enabled && path == null) {
            problems.add(EndpointKeys.DRAIN_PATH, "must be set when the drain endpoint is enabled");
        }
        if (enabled && token == null && !allowLoopback) {
            problems.add(EndpointKeys.DRAIN_ALLOW_LOOPBACK, "is false and no " + EndpointKeys.DRAIN_TOKEN.key()
                    + " is set: nobody could call the drain endpoint");
        }
        problems.throwIfAny();
    }

    /**
     * @return the defaults: off, at {@code /drain}, loopback callers allowed
     */
    public static DrainEndpointSettings defaults() {
        return new DrainEndpointSettings(EndpointKeys.DRAIN_ENABLED.defaultValue(),
                EndpointKeys.DRAIN_PATH.defaultValue(), EndpointKeys.DRAIN_TOKEN.defaultValue(),
                EndpointKeys.DRAIN_ALLOW_LOOPBACK.defaultValue());
    }

    /**
     * @param on whether the endpoint is registered
     * @return a copy switched on or off
     */
    public DrainEndpointSettings withEnabled(boolean on) {
        return new DrainEndpointSettings(on, path, token, allowLoopback);
    }

    @Override
    public String toString() {
        return "DrainEndpointSettings[enabled=" + enabled + ", path=" + path + ", token="
                + (token == null ? "none" : "***") + ", allowLoopback=" + allowLoopback + "]";
    }
}
