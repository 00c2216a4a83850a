package dev.llmautoscale.examples.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {

    @Test
    void nearestRankOnOneToHundred() {
        double[] v = IntStream.rangeClosed(1, 100).mapToDouble(i -> 101 - i).toArray(); // unsorted on purpose
        Percentiles p = new Percentiles(v);
        assertThat(p.count()).isEqualTo(100);
        assertThat(p.percentile(50)).isEqualTo(50);
        assertThat(p.percentile(95)).isEqualTo(95);
        assertThat(p.percentile(99)).isEqualTo(99);
        assertThat(p.percentile(100)).isEqualTo(100);
        assertThat(p.percentile(0.1)).isEqualTo(1);
        assertThat(p.max()).isEqualTo(100);
    }

    @Test
    void smallSamplesRoundTheRankUp() {
        // n = 20: p95 is rank ceil(19.0) = 19 (floating point gives 19.000000000000004), p99 rank 20, p50 rank 10.
        Percentiles p = new Percentiles(IntStream.rangeClosed(1, 20).mapToDouble(i -> i * 10).toArray());
        assertThat(p.percentile(95)).isEqualTo(190);
        assertThat(p.percentile(99)).isEqualTo(200);
        assertThat(p.percentile(50)).isEqualTo(100);
        // n = 3: p50 is rank 2, p95 and p99 the maximum.
        Percentiles q = new Percentiles(new double[] {7, 3, 5});
        assertThat(q.percentile(50)).isEqualTo(5);
        assertThat(q.percentile(95)).isEqualTo(7);
        assertThat(q.percentile(33.3)).isEqualTo(3);
        assertThat(q.percentile(33.4)).isEqualTo(5);
    }

    @Test
    void emptyAndNaN() {
        assertThat(new Percentiles(new double[0]).percentile(50)).isNaN();
        Percentiles p = new Percentiles(new double[] {Double.NaN, 4, Double.NaN});
        assertThat(p.count()).isEqualTo(1);
        assertThat(p.percentile(99)).isEqualTo(4);
        assertThat(p.percentile(1)).isEqualTo(4);
    }

    @Test
    void refusesPercentilesOutsideTheRange() {
        Percentiles p = new Percentiles(new double[] {1});
        assertThatThrownBy(() -> p.percentile(0)).hasMessageContaining("(0, 100]");
        assertThatThrownBy(() -> p.percentile(100.5)).hasMessageContaining("(0, 100]");
    }
}
