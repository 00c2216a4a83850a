package dev.llmautoscale.settings;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Settings that are not allowed, each named by its key with what is allowed. Thrown by the settings records and by
 * {@link SettingsReader#throwIfInvalid()}; the Spring Boot starter turns it into a startup failure report that names
 * each property.
 */
public class InvalidSettingsException extends IllegalArgumentException {

    private final transient List<SettingProblem> problems;

    /**
     * @param problems what is wrong, at least one
     */
    public InvalidSettingsException(List<SettingProblem> problems) {
        super("Invalid llm-autoscale settings: " + problems.stream().map(SettingProblem::toString)
                .collect(Collectors.joining("; ")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("no problem given");
        }
        this.problems = List.copyOf(problems);
    }

    /**
     * @return every problem, in the order found
     */
    public List<SettingProblem> problems() {
        return problems;
    }
}
