package dev.llmautoscale.lifecycle;

import java.util.Optional;

/**
 * An extra liveness or readiness condition, such as "the GPU is not lost". Must be fast and must not throw (a check
 * that throws counts as failing, with the exception as its reason).
 */
@FunctionalInterface
public interface HealthCheck {

    /**
     * @return empty when healthy, otherwise why not
     */
    Optional<String> problem();
}
