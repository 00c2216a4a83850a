package dev.llmautoscale.simulator.advisor.lint;

/** Builds findings while one autoscaler is linted: the object is filled in by {@link Linter}. */
final class Findings {

    private Findings() {
    }

    static Finding of(String rule, String file, String field, String problem, String fix) {
        return new Finding(rule, file, "", field, problem, fix);
    }
}
