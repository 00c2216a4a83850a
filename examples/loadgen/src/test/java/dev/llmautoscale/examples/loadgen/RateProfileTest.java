package dev.llmautoscale.examples.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateProfileTest {

    private static final long SECOND = 1_000_000_000L;

    static List<Arrival> all(Schedule s) {
        List<Arrival> list = new ArrayList<>();
        Arrival a;
        while ((a = s.next()) != null) {
            list.add(a);
        }
        return list;
    }

    static long countIn(List<Arrival> list, double fromSeconds, double toSeconds) {
        return list.stream().filter(a -> a.offsetNanos() >= fromSeconds * 1e9 && a.offsetNanos() < toSeconds * 1e9)
                .count();
    }

    @Test
    void constantRateSendsEveryOneOverRateSeconds() {
        List<Arrival> list = all(Schedule.bounded(RateProfile.constant(4).schedule(10, 5), 10 * SECOND, 1000));
        // Arrivals at 0.25, 0.5, ..., 9.75 s: the one at exactly 10 s is outside [0, 10).
        assertThat(list).hasSize(39);
        for (int i = 0; i < list.size(); i++) {
            assertThat(list.get(i).offsetNanos()).isEqualTo((i + 1) * SECOND / 4);
            assertThat(list.get(i).promptTokens()).isEqualTo(10);
            assertThat(list.get(i).maxTokens()).isEqualTo(5);
        }
    }

    @Test
    void rampArrivalsFollowTheSquareRootOfTheIntegral() {
        // Rate 0 -> 10/s over 10 s: N(t) = t^2 / 2, so the k-th arrival is at sqrt(2k).
        RateProfile ramp = RateProfile.ramp(0, 10, 10);
        assertThat(ramp.expectedCount(10)).isCloseTo(50, within(1e-9));
        List<Arrival> list = all(Schedule.bounded(ramp.schedule(1, 1), 10 * SECOND, 1000));
        assertThat(list).hasSize(49);
        for (int k = 1; k <= list.size(); k++) {
            assertThat(list.get(k - 1).offsetNanos() / 1e9).isCloseTo(Math.sqrt(2.0 * k), within(1e-6));
        }
        // Gaps shrink as the rate grows; after the ramp the rate stays at its end value.
        assertThat(countIn(list, 0, 5)).isLessThan(countIn(list, 5, 10));
        assertThat(ramp.timeOf(60) - ramp.timeOf(59)).isCloseTo(0.1, within(1e-9));
    }

    @Test
    void spikeSendsPeakTimesLengthRequestsInItsWindow() {
        RateProfile spike = RateProfile.spike(1, 20, 5, 2);
        List<Arrival> list = all(Schedule.bounded(spike.schedule(1, 1), 10 * SECOND, 1000));
        assertThat(countIn(list, 0, 5)).isEqualTo(4);
        assertThat(countIn(list, 5, 7)).isEqualTo(40);
        assertThat(countIn(list, 7, 10)).isEqualTo(3);
        assertThat(spike.expectedCount(10)).isCloseTo(5 + 40 + 3, within(1e-9));
    }

    @Test
    void spikeWithoutBaseStartsAtTheSpike() {
        List<Arrival> list = all(Schedule.bounded(RateProfile.spike(0, 10, 3, 1).schedule(1, 1), 60 * SECOND, 1000));
        assertThat(list).hasSize(10);
        assertThat(list.get(0).offsetNanos()).isEqualTo(3 * SECOND + SECOND / 10);
        assertThat(list.get(9).offsetNanos()).isEqualTo(4 * SECOND);
    }

    @Test
    void timeOfInvertsExpectedCount() {
        RateProfile[] profiles = {RateProfile.constant(3), RateProfile.ramp(2, 7, 13), RateProfile.spike(0.5, 9, 4, 3),
            RateProfile.ramp(9, 1, 5)};
        for (RateProfile p : profiles) {
            for (double k = 0.5; k < 80; k += 0.75) {
                assertThat(p.expectedCount(p.timeOf(k))).isCloseTo(k, within(1e-6));
            }
        }
    }

    @Test
    void badRatesAreRefusedWithTheirName() {
        assertThatThrownBy(() -> RateProfile.constant(0)).hasMessageContaining("rate must be a positive number");
        assertThatThrownBy(() -> RateProfile.ramp(-1, 5, 10)).hasMessageContaining("ramp start rate");
        assertThatThrownBy(() -> RateProfile.spike(1, 5, 1, 0)).hasMessageContaining("spike length");
        assertThatThrownBy(() -> RateProfile.constant(Double.NaN)).hasMessageContaining("NaN");
    }

    @Test
    void boundsStopAtTheCountOrTheTimeWhicheverComesFirst() {
        assertThat(all(Schedule.bounded(RateProfile.constant(100).schedule(1, 1), 60 * SECOND, 25))).hasSize(25);
        assertThat(all(Schedule.bounded(RateProfile.constant(100).schedule(1, 1), SECOND, 1000))).hasSize(99);
        assertThatThrownBy(() -> Schedule.bounded(RateProfile.constant(1).schedule(1, 1), 0, 5))
                .hasMessageContaining("duration must be positive");
        assertThatThrownBy(() -> Schedule.bounded(RateProfile.constant(1).schedule(1, 1), SECOND, 0))
                .hasMessageContaining("request bound");
    }
}
