package dev.llmautoscale.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The null-marking check finds every package of a source tree and tells each kind of omission apart. */
class NullMarkedPackagesTest {

    private static final Path FIXTURES = Path.of("src/test/java/dev/llmautoscale/testsupport/fixture");

    @Test
    void findsThePackagesOfEverySourceFile() {
        assertThat(NullMarkedPackages.of(FIXTURES)).containsExactly("dev.llmautoscale.testsupport.fixture.marked",
                "dev.llmautoscale.testsupport.fixture.plain", "dev.llmautoscale.testsupport.fixture.unmarked");
    }

    @Test
    void reportsAMissingPackageInfoAndOneWithoutTheAnnotation() {
        assertThat(NullMarkedPackages.notNullMarked(FIXTURES, getClass().getClassLoader())).containsExactly(
                "dev.llmautoscale.testsupport.fixture.plain: package-info.java is not annotated @NullMarked",
                "dev.llmautoscale.testsupport.fixture.unmarked: no package-info.java (it must carry @NullMarked and "
                        + "the package's Javadoc)");
    }

    @Test
    void aMissingSourceRootIsAPlainFailure() {
        assertThatThrownBy(() -> NullMarkedPackages.of(Path.of("no/such/sources")))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("No source directory")
                .hasMessageContaining("run the test from its module directory");
    }
}
