package dev.llmautoscale.servlet;

import dev.llmautoscale.lifecycle.DrainTrigger;
import java.util.Optional;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link LlmAutoscaleServlets#register} installed on a context: the filter's name, the separate metrics server
 * and the drain trigger watch, if started. {@link #close()} stops them (done automatically when the context stops).
 */
public final class ServletInstallation implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServletInstallation.class);

    private final @Nullable String filterName;
    private final PrometheusSupport.@Nullable Running metricsServer;
    private final @Nullable DrainTrigger drainTrigger;
    private volatile boolean closed;

    ServletInstallation(@Nullable String filterName, PrometheusSupport.@Nullable Running metricsServer) {
        this(filterName, metricsServer, null);
    }

    ServletInstallation(@Nullable String filterName, PrometheusSupport.@Nullable Running metricsServer,
            @Nullable DrainTrigger drainTrigger) {
        this.filterName = filterName;
        this.metricsServer = metricsServer;
        this.drainTrigger = drainTrigger;
    }

    /**
     * @return the watch of the drain trigger file, empty when none is configured
     */
    public Optional<DrainTrigger> drainTrigger() {
        return Optional.ofNullable(drainTrigger);
    }

    /**
     * @return whether the filter was registered (not when one of the same name was already there, or when off)
     */
    public boolean filterRegistered() {
        return filterName != null;
    }

    /**
     * @return the port the separate metrics server listens on, or empty when none runs
     */
    public OptionalInt metricsServerPort() {
        return metricsServer == null || closed ? OptionalInt.empty() : OptionalInt.of(metricsServer.port());
    }

    /** Stops the separate metrics server and the drain trigger watch; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (drainTrigger != null) {
            drainTrigger.close();
        }
        if (metricsServer != null) {
            try {
                metricsServer.server().close();
            } catch (Exception e) {
                log.warn("llm-autoscale: stopping the metrics server failed", e);
            }
        }
    }
}
