package dev.llmautoscale.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.testsupport.NullMarkedPackages;
import org.junit.jupiter.api.Test;

/** Every package of the module is null-marked (JSpecify {@code @NullMarked} on its compiled package-info). */
class PackagesAreNullMarkedTest {

    @Test
    void everyPackageIsNullMarked() {
        assertThat(NullMarkedPackages.of(NullMarkedPackages.MAIN_SOURCES)).contains("dev.llmautoscale.spring.actuate",
                "dev.llmautoscale.spring.autoconfigure", "dev.llmautoscale.spring.lifecycle",
                "dev.llmautoscale.spring.tracking");
        assertThat(NullMarkedPackages.notNullMarked(NullMarkedPackages.MAIN_SOURCES, getClass().getClassLoader()))
                .isEmpty();
    }
}
