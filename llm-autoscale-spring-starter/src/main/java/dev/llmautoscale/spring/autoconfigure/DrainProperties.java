package dev.llmautoscale.spring.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * {@code llm.autoscale.servlet.drain.*}: {@code POST /drain} starts a drain on demand (for a preStop hook). Protected:
 * loopback callers or a bearer token.
 */
public class DrainProperties {

    /** Whether the drain endpoint is registered. */
    private boolean enabled = ServletDefaults.DRAIN_ENABLED;

    /** The drain endpoint's path. */
    private @Nullable String path = ServletDefaults.DRAIN_PATH;

    /** A bearer token (Authorization: Bearer ...) that authorizes a drain from any address. */
    private @Nullable String token;

    /** Whether callers on a loopback address (a preStop hook in the pod) may drain without the token. */
    private boolean allowLoopback = ServletDefaults.DRAIN_ALLOW_LOOPBACK;

    /**
     * @return whether the drain endpoint is registered
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * @param enabled whether the drain endpoint is registered
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * @return the drain endpoint's path
     */
    public @Nullable String getPath() {
        return path;
    }

    /**
     * @param path the drain endpoint's path
     */
    public void setPath(@Nullable String path) {
        this.path = path;
    }

    /**
     * @return a bearer token (Authorization: Bearer ...) that authorizes a drain from any address
     */
    public @Nullable String getToken() {
        return token;
    }

    /**
     * @param token a bearer token (Authorization: Bearer ...) that authorizes a drain from any address
     */
    public void setToken(@Nullable String token) {
        this.token = token;
    }

    /**
     * @return whether callers on a loopback address (a preStop hook in the pod) may drain without the token
     */
    public boolean isAllowLoopback() {
        return allowLoopback;
    }

    /**
     * @param allowLoopback whether callers on a loopback address (a preStop hook in the pod) may drain without the token
     */
    public void setAllowLoopback(boolean allowLoopback) {
        this.allowLoopback = allowLoopback;
    }


}
