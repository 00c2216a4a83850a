package dev.llmautoscale.spring.autoconfigure;

import dev.llmautoscale.servlet.FilterSettings;
import dev.llmautoscale.servlet.ServletSettings;
import dev.llmautoscale.servlet.endpoint.DrainEndpointSettings;
import dev.llmautoscale.servlet.endpoint.EndpointSettings;
import dev.llmautoscale.servlet.endpoint.MetricsServerSettings;
import dev.llmautoscale.settings.InvalidSettingsException;
import dev.llmautoscale.settings.SettingProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Binds {@link ServletProperties} onto the servlet module's records. Only loaded when the module is on the class
 * path. The separate metrics server stays off (Spring Boot's {@code management.server.port} serves that purpose) and
 * the container initializer's switch does not apply (Spring Boot's embedded containers do not run it).
 */
final class ServletSettingsMapping {

    private ServletSettingsMapping() {
    }

    static FilterSettings filter(ServletProperties s) {
        return new FilterSettings(s.getPaths(), s.getModelHeader(), s.getBodyPeekBytes(), s.getDefaultModel(),
                s.getOverloadStatus());
    }

    static EndpointSettings endpoints(ServletProperties s) {
        EndpointsProperties e = s.getEndpoints();
        return new EndpointSettings(e.isEnabled(), e.getHealth(), e.getReady(), e.getActiveRequests(), e.getMetrics(),
                e.getAutoscaling());
    }

    static DrainEndpointSettings drain(ServletProperties s) {
        DrainProperties d = s.getDrain();
        return new DrainEndpointSettings(d.isEnabled(), d.getPath(), d.getToken(), d.isAllowLoopback());
    }

    /**
     * @param p the bound properties
     * @return the servlet module's settings
     * @throws InvalidSettingsException naming each bad property
     */
    static ServletSettings settings(LlmAutoscaleProperties p) {
        ServletProperties s = validate(p.getServlet());
        return new ServletSettings(p.isEnabled() && s.isEnabled(), false, filter(s), endpoints(s), drain(s),
                MetricsServerSettings.defaults(), p.toLifecycleSettings());
    }

    /**
     * Applies the servlet module's validation to the servlet properties.
     *
     * @param s the bound properties
     * @return {@code s}
     * @throws InvalidSettingsException naming each bad property
     */
    static ServletProperties validate(ServletProperties s) {
        List<SettingProblem> problems = new ArrayList<>();
        collect(problems, () -> filter(s));
        collect(problems, () -> endpoints(s));
        collect(problems, () -> drain(s));
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
        return s;
    }

    private static <T> @Nullable T collect(List<SettingProblem> problems, Supplier<T> build) {
        try {
            return build.get();
        } catch (InvalidSettingsException e) {
            problems.addAll(e.problems());
            return null;
        }
    }
}
