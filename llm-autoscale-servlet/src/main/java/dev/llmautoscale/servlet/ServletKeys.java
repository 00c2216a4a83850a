package dev.llmautoscale.servlet;

import dev.llmautoscale.servlet.endpoint.EndpointKeys;
import dev.llmautoscale.settings.Setting;
import dev.llmautoscale.settings.SettingsReader;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The servlet module's keys, {@code llm.autoscale.servlet.*}: the tracking filter's ({@link FilterSettings}), the
 * switches of the module, and through {@link EndpointKeys} the endpoints'. The core's keys
 * ({@link dev.llmautoscale.CoreKeys}) configure the instance this module builds for zero-code registration.
 */
public final class ServletKeys {

    private static final String P = Setting.PREFIX + "servlet.";

    /** The largest body peek: 1 MiB. */
    public static final int MAX_BODY_PEEK_BYTES = 1024 * 1024;

    /** Whether the filter and endpoints are registered. */
    public static final Setting<Boolean> ENABLED = Setting.bool(P + "enabled", true,
            "Whether the tracking filter and the enabled endpoints are registered.");
    /** Zero-code registration by the container initializer. */
    public static final Setting<Boolean> AUTO_REGISTER = Setting.bool(P + "auto-register", false,
            "Zero-code registration: the servlet jar's ServletContainerInitializer builds an instance from these "
                    + "keys and installs the filter on /* and the endpoints. Off: the jar installs nothing until the "
                    + "application calls LlmAutoscaleServlets.register.").only(Setting.Scope.SERVLET);
    /** Tracked path patterns. */
    public static final Setting<List<String>> PATHS = Setting.list(P + "paths",
            List.of("/v1/completions", "/v1/chat/completions", "/v1/embeddings"),
            "patterns starting with '/': literal segments, '*', '{model}', a last '*' or '**'",
            ServletKeys::checkPaths, "Request paths tracked as inferences. Segments: a literal; '*' (one segment); "
                    + "'{model}' (one segment that names the model); a last '*' or '**' (everything below).");
    /** The request header naming the model. */
    public static final Setting<String> MODEL_HEADER = Setting.optional(P + "model-header", "X-Model",
            "an HTTP header name", h -> isToken(h) ? null : "must be a valid HTTP header name, got '" + h + "'",
            "Request header that names the model.");
    /** Bytes of a JSON body read for its {@code model} field. */
    public static final Setting<Integer> BODY_PEEK_BYTES = Setting.integer(P + "body-peek-bytes", 16 * 1024, 0,
            MAX_BODY_PEEK_BYTES, "0 = never", "How many bytes of a JSON request body are read to find its "
                    + "\"model\" field (the application still reads the whole body).");
    /** The model of requests that name none. */
    public static final Setting<String> DEFAULT_MODEL = Setting.text(P + "default-model", null,
            "a model name; empty: \"default\"", v -> null, "The model name of requests that name none.");
    /** The status of an overload refusal. */
    public static final Setting<Integer> OVERLOAD_STATUS = Setting.oneOf(P + "overload-status", 429, List.of(429, 503),
            "HTTP status of requests refused for overload (draining is always 503).");

    /** The filter's and the module's own settings. */
    public static final List<Setting<?>> FILTER = List.of(ENABLED, AUTO_REGISTER, PATHS, MODEL_HEADER,
            BODY_PEEK_BYTES, DEFAULT_MODEL, OVERLOAD_STATUS);

    /** Every setting of the servlet module, the endpoints' included. */
    public static final List<Setting<?>> ALL = all();

    private ServletKeys() {
    }

    private static List<Setting<?>> all() {
        List<Setting<?>> out = new ArrayList<>(FILTER);
        out.addAll(EndpointKeys.ALL);
        return List.copyOf(out);
    }

    private static @Nullable String checkPaths(List<String> paths) {
        if (paths.isEmpty()) {
            return "must name at least one tracked path pattern";
        }
        try {
            PathPatterns.compile(paths);
            return null;
        } catch (IllegalArgumentException e) {
            return "holds a bad pattern: " + e.getMessage();
        }
    }

    private static boolean isToken(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return !name.isEmpty();
    }

    /**
     * Reads the filter's settings.
     *
     * @param r the reader; problems are kept in it
     * @return the settings (the defaults where a value is bad)
     */
    public static FilterSettings readFilter(SettingsReader r) {
        return r.build(() -> new FilterSettings(r.get(PATHS), r.get(MODEL_HEADER), r.get(BODY_PEEK_BYTES),
                r.get(DEFAULT_MODEL), r.get(OVERLOAD_STATUS)), FilterSettings.defaults());
    }
}
