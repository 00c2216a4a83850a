package dev.llmautoscale.servlet.endpoint;

import dev.llmautoscale.settings.Setting;
import dev.llmautoscale.settings.SettingsReader;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The keys of the endpoints, {@code llm.autoscale.servlet.endpoints.*}, {@code llm.autoscale.servlet.drain.*} and
 * {@code llm.autoscale.servlet.metrics-server.*}: each one's default and validation, read into
 * {@link EndpointSettings}, {@link DrainEndpointSettings} and {@link MetricsServerSettings}.
 */
public final class EndpointKeys {

    private static final String E = Setting.PREFIX + "servlet.endpoints.";
    private static final String D = Setting.PREFIX + "servlet.drain.";
    private static final String M = Setting.PREFIX + "servlet.metrics-server.";

    /** Whether the endpoints are registered at all. */
    public static final Setting<Boolean> ENABLED = Setting.bool(E + "enabled", true,
            "Whether the bare endpoints below are registered on the application's port.");
    /** Liveness. */
    public static final Setting<String> HEALTH = path(E + "health", "/health",
            "Liveness as 200 / 503 with a JSON body (the guide's livenessProbe path).");
    /** Readiness. */
    public static final Setting<String> READY = path(E + "ready", "/ready",
            "Readiness as 200 / 503 with the reasons: 503 until warm-up ends and while draining (the guide's "
                    + "readinessProbe path).");
    /** Running plus queued, as a bare integer. */
    public static final Setting<String> ACTIVE_REQUESTS = path(E + "active-requests", "/active_requests",
            "Running plus queued requests as a plain integer, for the guide's preStop loop (curl ... -eq 0).");
    /** A Prometheus scrape. */
    public static final Setting<String> METRICS = path(E + "metrics", "/metrics",
            "A Prometheus scrape of the instance's registry (needs micrometer-registry-prometheus).");
    /** KEDA metrics-api JSON. */
    public static final Setting<String> AUTOSCALING = path(E + "autoscaling", "/autoscaling",
            "This replica's load as JSON for KEDA's metrics-api scaler (queued, running, capacity, per model).");
    /** Whether {@code POST /drain} is registered. */
    public static final Setting<Boolean> DRAIN_ENABLED = Setting.bool(D + "enabled", false,
            "Whether POST /drain is registered (starts a drain on demand, for a preStop hook).");
    /** The drain endpoint's path. */
    public static final Setting<String> DRAIN_PATH = path(D + "path", "/drain", "The drain endpoint's path.");
    /** A bearer token that authorizes a drain from anywhere. */
    public static final Setting<String> DRAIN_TOKEN = Setting.text(D + "token", null, "any text", v -> null,
            "A bearer token (Authorization: Bearer ...) that authorizes a drain from any address.");
    /** Whether loopback callers need no token. */
    public static final Setting<Boolean> DRAIN_ALLOW_LOOPBACK = Setting.bool(D + "allow-loopback", true,
            "Whether callers on a loopback address (a preStop hook in the pod) may drain without the token.");
    /** The separate metrics server's port. */
    public static final Setting<Integer> METRICS_SERVER_PORT = Setting.integer(M + "port", -1, -1, 65535,
            "-1 = off, 0 = any free port", "Port of a separate Prometheus server (the guide's :8001), started for "
                    + "an instance the servlet module builds or is given.").only(Setting.Scope.SERVLET);
    /** The address it binds. */
    public static final Setting<String> METRICS_SERVER_BIND_ADDRESS = Setting.text(M + "bind-address", null,
            "a host name or IP address; empty: all", v -> null,
            "Address the separate metrics server binds; empty: all.").only(Setting.Scope.SERVLET);

    /** Every endpoint setting. */
    public static final List<Setting<?>> ALL = List.of(ENABLED, HEALTH, READY, ACTIVE_REQUESTS, METRICS, AUTOSCALING,
            DRAIN_ENABLED, DRAIN_PATH, DRAIN_TOKEN, DRAIN_ALLOW_LOOPBACK, METRICS_SERVER_PORT,
            METRICS_SERVER_BIND_ADDRESS);

    private EndpointKeys() {
    }

    private static Setting<String> path(String key, String dflt, String description) {
        return Setting.optional(key, dflt, "an exact path starting with '/', no wildcards",
                EndpointKeys::checkPath, description);
    }

    private static @Nullable String checkPath(String p) {
        return p.length() < 2 || p.charAt(0) != '/' || p.indexOf('*') >= 0 || p.indexOf(' ') >= 0
                ? "must be an exact path starting with '/' (no wildcards), or empty for off, got '" + p + "'" : null;
    }

    /**
     * @param r the reader; problems are kept in it
     * @return the endpoint paths
     */
    public static EndpointSettings readEndpoints(SettingsReader r) {
        return r.build(() -> new EndpointSettings(r.get(ENABLED), r.get(HEALTH), r.get(READY),
                r.get(ACTIVE_REQUESTS), r.get(METRICS), r.get(AUTOSCALING)), EndpointSettings.defaults());
    }

    /**
     * @param r the reader; problems are kept in it
     * @return the drain endpoint's settings
     */
    public static DrainEndpointSettings readDrain(SettingsReader r) {
        return r.build(() -> new DrainEndpointSettings(r.get(DRAIN_ENABLED), r.get(DRAIN_PATH), r.get(DRAIN_TOKEN),
                r.get(DRAIN_ALLOW_LOOPBACK)), DrainEndpointSettings.defaults());
    }

    /**
     * @param r the reader; problems are kept in it
     * @return the separate metrics server's settings
     */
    public static MetricsServerSettings readMetricsServer(SettingsReader r) {
        return r.build(() -> new MetricsServerSettings(r.get(METRICS_SERVER_PORT), r.get(METRICS_SERVER_BIND_ADDRESS)),
                MetricsServerSettings.defaults());
    }
}
