package dev.llmautoscale.examples.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class PoissonScheduleTest {

    @Test
    void gapsAreExponentialWithTheRequestedMean() {
        int n = 50_000;
        PoissonSchedule s = new PoissonSchedule(20, 7, 1, 1);
        double[] gaps = new double[n];
        long previous = 0;
        for (int i = 0; i < n; i++) {
            long t = s.next().offsetNanos();
            assertThat(t).isGreaterThanOrEqualTo(previous);
            gaps[i] = (t - previous) / 1e9;
            previous = t;
        }
        double mean = java.util.Arrays.stream(gaps).average().orElseThrow();
        double variance = java.util.Arrays.stream(gaps).map(g -> (g - mean) * (g - mean)).sum() / (n - 1);
        // Exponential: mean 1/rate, standard deviation equal to the mean. 50k samples: the error is about 0.5%.
        assertThat(mean).isCloseTo(0.05, within(0.05 * 0.03));
        assertThat(Math.sqrt(variance) / mean).isCloseTo(1.0, within(0.04));
        // Memorylessness, roughly: the share of gaps longer than the mean is e^-1.
        double longer = java.util.Arrays.stream(gaps).filter(g -> g > 0.05).count() / (double) n;
        assertThat(longer).isCloseTo(Math.exp(-1), within(0.01));
    }

    @Test
    void theSameSeedGivesTheSameScheduleAndAnotherSeedDoesNot() {
        List<Arrival> a = RateProfileTest.all(Schedule.bounded(new PoissonSchedule(5, 1, 2, 3), 10_000_000_000L, 40));
        List<Arrival> b = RateProfileTest.all(Schedule.bounded(new PoissonSchedule(5, 1, 2, 3), 10_000_000_000L, 40));
        List<Arrival> c = RateProfileTest.all(Schedule.bounded(new PoissonSchedule(5, 2, 2, 3), 10_000_000_000L, 40));
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
        assertThat(a).allSatisfy(x -> {
            assertThat(x.promptTokens()).isEqualTo(2);
            assertThat(x.maxTokens()).isEqualTo(3);
        });
    }

    @Test
    void refusesANonPositiveRate() {
        assertThatThrownBy(() -> new PoissonSchedule(0, 1, 1, 1)).hasMessageContaining("Poisson rate");
    }
}
