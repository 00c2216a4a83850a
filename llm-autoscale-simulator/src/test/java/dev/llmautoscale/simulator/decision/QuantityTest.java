package dev.llmautoscale.simulator.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Kubernetes quantities as {@code ParseQuantity(s).MilliValue()} reads them, and KEDA's milli serving. */
class QuantityTest {

    @ParameterizedTest(name = "{0} -> {1}m")
    @CsvSource({
        "10, 10000", "15.0, 15000", "500m, 500", "1k, 1000000", "2Ki, 2048000", "1Mi, 1048576000", "1Gi, 1073741824000",
        "1e3, 1000000", "1E3, 1000000", "1.5G, 1500000000000", "0.1, 100", "0.29, 290", "0.2901, 291", ".5, 500",
        "1., 1000", "+3, 3000", "100u, 1", "1n, 1", "1M, 1000000000", "2T, 2000000000000000", "1e-3, 1", "-1, -1000"})
    void parsesToMilliUnitsRoundingUp(String text, long milli) {
        assertThat(Quantity.parseMilli(text)).isEqualTo(milli);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ten", "1K", "1 Gi", "1.2.3", "Gi", "1ki", "e3", "1e", "--1", "1m5", "0x10"})
    void rejectsWhatIsNotAQuantity(String text) {
        assertThatThrownBy(() -> Quantity.parseMilli(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a Kubernetes quantity");
    }

    @Test
    void doublesAreReadAsTheirShortestDecimal() {
        assertThat(Quantity.milli(0.29)).isEqualTo(290);
        // the trap the spec warns about: 2.007 x 1000 is 2007.0000000000002 as a double
        assertThat(Math.ceil(2.007 * 1000)).isEqualTo(2008.0);
        assertThat(Quantity.milli(2.007)).isEqualTo(2007);
        assertThat(Quantity.milli(0.1 + 0.2)).isEqualTo(301); // 0.30000000000000004 really is above 0.3
        assertThatThrownBy(() -> Quantity.milli(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void kedaServesValuesRoundedToMilliAndClampsNegativeAndNonFiniteToZero() {
        assertThat(Quantity.kedaMilli(1.0004)).isEqualTo(1000);
        assertThat(Quantity.kedaMilli(1.0006)).isEqualTo(1001);
        assertThat(Quantity.kedaMilli(0.0625)).isEqualTo(62); // an exact binary tie goes to even, as Go's %.3f
        assertThat(Quantity.kedaMilli(-2)).isZero();
        assertThat(Quantity.kedaMilli(Double.POSITIVE_INFINITY)).isZero();
        assertThat(Quantity.kedaMilli(Double.NaN)).isZero();
    }
}
