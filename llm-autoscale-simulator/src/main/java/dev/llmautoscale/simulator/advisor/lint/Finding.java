package dev.llmautoscale.simulator.advisor.lint;

/**
 * One problem {@code lint} found in a configuration.
 *
 * @param rule    the rule id (see {@link LintRule})
 * @param file    the file that holds the field
 * @param object  the object in the file, as {@code Kind/name}
 * @param field   the field, as a path such as {@code spec.triggers[0].metadata.query}
 * @param problem what goes wrong in production
 * @param fix     what to change
 */
public record Finding(String rule, String file, String object, String field, String problem, String fix) {
}
