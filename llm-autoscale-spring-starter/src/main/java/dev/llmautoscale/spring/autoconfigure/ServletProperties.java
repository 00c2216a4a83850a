package dev.llmautoscale.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * {@code llm.autoscale.servlet.*}: the tracking filter and the guide's bare endpoints on the main port, in servlet
 * applications with the llm-autoscale-servlet module on the class path. The keys, defaults and validation are the
 * servlet module's ({@code ServletKeys}, {@code EndpointKeys}); {@link SpringKeys#FILTER_ORDER} is the starter's.
 */
public class ServletProperties {

    /** Whether the tracking filter and the enabled endpoints are registered. */
    private boolean enabled = ServletDefaults.ENABLED;

    /** Request paths tracked as inferences. Segments: a literal; '*' (one segment); '{model}' (one segment that names the model); a last '*' or '**' (everything below). */
    private List<String> paths = new ArrayList<>(ServletDefaults.PATHS);

    /** Request header that names the model; empty: none. */
    private @Nullable String modelHeader = ServletDefaults.MODEL_HEADER;

    /** How many bytes of a JSON request body are read to find its "model" field; 0: never. */
    private int bodyPeekBytes = ServletDefaults.BODY_PEEK_BYTES;

    /** The model name of requests that name none; empty: "default". */
    private @Nullable String defaultModel;

    /** HTTP status of requests refused for overload: 429 or 503 (draining is always 503). */
    private int overloadStatus = ServletDefaults.OVERLOAD_STATUS;

    /** Order of the tracking filter: after Spring Security's filter chain (-100) by default. */
    private int filterOrder = SpringKeys.FILTER_ORDER.defaultValue();

    /** The bare endpoints. */
    @NestedConfigurationProperty
    private final EndpointsProperties endpoints = new EndpointsProperties();

    /** POST /drain. */
    @NestedConfigurationProperty
    private final DrainProperties drain = new DrainProperties();

    /**
     * @return whether the tracking filter and the enabled endpoints are registered
     */
    public boolean isEnabled() {
        return enabled;
    }

    /**
     * @param enabled whether the tracking filter and the enabled endpoints are registered
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * @return request paths tracked as inferences. Segments: a literal; '*' (one segment); '{model}' (one segment that names the model); a last '*' or '**' (everything below)
     */
    public List<String> getPaths() {
        return paths;
    }

    /**
     * @param paths request paths tracked as inferences. Segments: a literal; '*' (one segment); '{model}' (one segment that names the model); a last '*' or '**' (everything below)
     */
    public void setPaths(List<String> paths) {
        this.paths = paths;
    }

    /**
     * @return request header that names the model; empty: none
     */
    public @Nullable String getModelHeader() {
        return modelHeader;
    }

    /**
     * @param modelHeader request header that names the model; empty: none
     */
    public void setModelHeader(@Nullable String modelHeader) {
        this.modelHeader = modelHeader;
    }

    /**
     * @return how many bytes of a JSON request body are read to find its "model" field; 0: never
     */
    public int getBodyPeekBytes() {
        return bodyPeekBytes;
    }

    /**
     * @param bodyPeekBytes how many bytes of a JSON request body are read to find its "model" field; 0: never
     */
    public void setBodyPeekBytes(int bodyPeekBytes) {
        this.bodyPeekBytes = bodyPeekBytes;
    }

    /**
     * @return the model name of requests that name none; empty: "default"
     */
    public @Nullable String getDefaultModel() {
        return defaultModel;
    }

    /**
     * @param defaultModel the model name of requests that name none; empty: "default"
     */
    public void setDefaultModel(@Nullable String defaultModel) {
        this.defaultModel = defaultModel;
    }

    /**
     * @return hTTP status of requests refused for overload: 429 or 503 (draining is always 503)
     */
    public int getOverloadStatus() {
        return overloadStatus;
    }

    /**
     * @param overloadStatus hTTP status of requests refused for overload: 429 or 503 (draining is always 503)
     */
    public void setOverloadStatus(int overloadStatus) {
        this.overloadStatus = overloadStatus;
    }

    /**
     * @return order of the tracking filter: after Spring Security's filter chain (-100) by default
     */
    public int getFilterOrder() {
        return filterOrder;
    }

    /**
     * @param filterOrder order of the tracking filter: after Spring Security's filter chain (-100) by default
     */
    public void setFilterOrder(int filterOrder) {
        this.filterOrder = filterOrder;
    }

    /**
     * @return the bare endpoints
     */
    public EndpointsProperties getEndpoints() {
        return endpoints;
    }

    /**
     * @return pOST /drain
     */
    public DrainProperties getDrain() {
        return drain;
    }


}
