package dev.llmautoscale.spring.autoconfigure;

import dev.llmautoscale.settings.InvalidSettingsException;
import dev.llmautoscale.settings.SettingProblem;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * Turns a startup failure caused by bad llm-autoscale settings into a report that names each property, its value
 * and where it came from, what is allowed, and where every key is documented:
 * <pre>
 * Invalid llm-autoscale settings:
 *
 *     llm.autoscale.admission.max-concurrency = -1 (from class path resource [application.properties] - 3:42)
 *         llm.autoscale.admission.max-concurrency must be at least 0 (0 = unlimited), got -1
 *
 * Action: correct these properties; docs/CONFIGURATION.md lists every key with its default and allowed values.
 * </pre>
 * It answers for the binding of {@link LlmAutoscaleProperties} and for an {@link InvalidSettingsException} from any
 * bean that builds a settings record, before Spring Boot's general analyzers.
 */
public final class LlmAutoscaleSettingsFailureAnalyzer implements FailureAnalyzer, Ordered {

    /** The action every report ends with. */
    static final String ACTION = "Correct these properties; docs/CONFIGURATION.md lists every llm.autoscale key "
            + "with its default and allowed values (environment variables: LLM_AUTOSCALE_..., the relaxed form).";

    @Override
    public @Nullable FailureAnalysis analyze(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof BindValidationException bind
                    && bind.getValidationErrors().getName().toString().equals(LlmAutoscaleProperties.PREFIX)) {
                return analyzeBinding(bind, failure);
            }
            if (t instanceof InvalidSettingsException invalid) {
                return analyzeProblems(invalid, failure);
            }
        }
        return null;
    }

    private static FailureAnalysis analyzeBinding(BindValidationException bind, Throwable failure) {
        List<String> lines = new ArrayList<>();
        for (ObjectError error : bind.getValidationErrors()) {
            String key = error instanceof FieldError field ? LlmAutoscaleProperties.PREFIX + "."
                    + DataObjectPropertyName.toDashedForm(field.getField()) : LlmAutoscaleProperties.PREFIX;
            ConfigurationProperty bound = find(bind, key);
            lines.add(line(key, bound == null ? null : String.valueOf(bound.getValue()),
                    bound == null || bound.getOrigin() == null ? null : bound.getOrigin().toString(),
                    error.getDefaultMessage()));
        }
        return new FailureAnalysis(describe(lines), ACTION, failure);
    }

    private static @Nullable ConfigurationProperty find(BindValidationException bind, String key) {
        for (ConfigurationProperty p : bind.getValidationErrors().getBoundProperties()) {
            String name = p.getName().toString();
            if (name.equals(key) || name.startsWith(key + ".") || name.startsWith(key + "[")) {
                return p;
            }
        }
        return null;
    }

    private static FailureAnalysis analyzeProblems(InvalidSettingsException invalid, Throwable failure) {
        List<String> lines = new ArrayList<>();
        for (SettingProblem p : invalid.problems()) {
            lines.add(line(p.key(), p.value(), null, p.message()));
        }
        return new FailureAnalysis(describe(lines), ACTION, failure);
    }

    private static String line(String key, @Nullable String value, @Nullable String origin,
            @Nullable String message) {
        StringBuilder b = new StringBuilder("    ").append(key);
        if (value != null) {
            b.append(" = ").append(value);
        }
        if (origin != null) {
            b.append(" (from ").append(origin).append(')');
        }
        return b.append(System.lineSeparator()).append("        ").append(message).toString();
    }

    private static String describe(List<String> lines) {
        String nl = System.lineSeparator();
        return "Invalid llm-autoscale settings:" + nl + nl + String.join(nl, lines);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
