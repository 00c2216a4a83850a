package dev.llmautoscale.spring.autoconfigure;

import dev.llmautoscale.servlet.ServletKeys;
import dev.llmautoscale.servlet.endpoint.EndpointKeys;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;

/**
 * The servlet module's defaults for {@link ServletProperties}, read from its keys when the module is on the class
 * path. Without it the servlet properties are bound but never used, so their initial values do not matter and no
 * servlet class is loaded (the nested holder is only initialized when the module is present).
 */
final class ServletDefaults {

    /** Whether the llm-autoscale-servlet module is on the class path. */
    static final boolean PRESENT = ClassUtils.isPresent("dev.llmautoscale.servlet.ServletKeys",
            ServletDefaults.class.getClassLoader());

    static final boolean ENABLED = PRESENT && Keys.ENABLED;
    static final List<String> PATHS = PRESENT ? Keys.PATHS : List.of();
    static final @Nullable String MODEL_HEADER = PRESENT ? Keys.MODEL_HEADER : null;
    static final int BODY_PEEK_BYTES = PRESENT ? Keys.BODY_PEEK_BYTES : 0;
    static final int OVERLOAD_STATUS = PRESENT ? Keys.OVERLOAD_STATUS : 0;
    static final boolean ENDPOINTS_ENABLED = PRESENT && Keys.ENDPOINTS_ENABLED;
    static final @Nullable String HEALTH = PRESENT ? Keys.HEALTH : null;
    static final @Nullable String READY = PRESENT ? Keys.READY : null;
    static final @Nullable String ACTIVE_REQUESTS = PRESENT ? Keys.ACTIVE_REQUESTS : null;
    static final @Nullable String METRICS = PRESENT ? Keys.METRICS : null;
    static final @Nullable String AUTOSCALING = PRESENT ? Keys.AUTOSCALING : null;
    static final boolean DRAIN_ENABLED = PRESENT && Keys.DRAIN_ENABLED;
    static final @Nullable String DRAIN_PATH = PRESENT ? Keys.DRAIN_PATH : null;
    static final boolean DRAIN_ALLOW_LOOPBACK = PRESENT && Keys.DRAIN_ALLOW_LOOPBACK;

    private ServletDefaults() {
    }

    /** Loaded only when the servlet module is present. */
    private static final class Keys {
        static final boolean ENABLED = ServletKeys.ENABLED.defaultValue();
        static final List<String> PATHS = ServletKeys.PATHS.defaultValue();
        static final @Nullable String MODEL_HEADER = ServletKeys.MODEL_HEADER.defaultValue();
        static final int BODY_PEEK_BYTES = ServletKeys.BODY_PEEK_BYTES.defaultValue();
        static final int OVERLOAD_STATUS = ServletKeys.OVERLOAD_STATUS.defaultValue();
        static final boolean ENDPOINTS_ENABLED = EndpointKeys.ENABLED.defaultValue();
        static final @Nullable String HEALTH = EndpointKeys.HEALTH.defaultValue();
        static final @Nullable String READY = EndpointKeys.READY.defaultValue();
        static final @Nullable String ACTIVE_REQUESTS = EndpointKeys.ACTIVE_REQUESTS.defaultValue();
        static final @Nullable String METRICS = EndpointKeys.METRICS.defaultValue();
        static final @Nullable String AUTOSCALING = EndpointKeys.AUTOSCALING.defaultValue();
        static final boolean DRAIN_ENABLED = EndpointKeys.DRAIN_ENABLED.defaultValue();
        static final @Nullable String DRAIN_PATH = EndpointKeys.DRAIN_PATH.defaultValue();
        static final boolean DRAIN_ALLOW_LOOPBACK = EndpointKeys.DRAIN_ALLOW_LOOPBACK.defaultValue();
    }
}
