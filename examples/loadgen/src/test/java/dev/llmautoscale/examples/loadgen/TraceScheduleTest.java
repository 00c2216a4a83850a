package dev.llmautoscale.examples.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceScheduleTest {

    @Test
    void replaysRowsSkippingHeaderCommentsAndBlankLines() throws Exception {
        String csv = "time_offset_seconds,prompt_tokens,max_tokens\n"
                + "# warm traffic\n"
                + "0,100,20\n"
                + "\n"
                + "0.5, 2000 , 10\n"
                + "0.5,1,1\n"
                + "3.25,64,256\n";
        TraceSchedule t = TraceSchedule.parse(new StringReader(csv), 1);
        assertThat(t.size()).isEqualTo(4);
        assertThat(RateProfileTest.all(t)).containsExactly(
                new Arrival(0, 100, 20),
                new Arrival(500_000_000L, 2000, 10),
                new Arrival(500_000_000L, 1, 1),
                new Arrival(3_250_000_000L, 64, 256));
    }

    @Test
    void speedCompressesTime() throws Exception {
        TraceSchedule t = TraceSchedule.parse(new StringReader("1,5,5\n4,5,5\n"), 4);
        assertThat(RateProfileTest.all(t)).extracting(Arrival::offsetNanos)
                .containsExactly(250_000_000L, 1_000_000_000L);
    }

    @Test
    void errorsNameTheLine() {
        assertThatThrownBy(() -> TraceSchedule.parse(new StringReader("0,1,1\n2,1\n"), 1))
                .hasMessageContaining("trace line 2").hasMessageContaining("expected 3 fields");
        assertThatThrownBy(() -> TraceSchedule.parse(new StringReader("0,1,1\nx,1,1\n"), 1))
                .hasMessageContaining("trace line 2").hasMessageContaining("not numbers");
        assertThatThrownBy(() -> TraceSchedule.parse(new StringReader("2,1,1\n1,1,1\n"), 1))
                .hasMessageContaining("trace line 2").hasMessageContaining("sort the trace");
        assertThatThrownBy(() -> TraceSchedule.parse(new StringReader("0,0,1\n"), 1))
                .hasMessageContaining("token counts >= 1");
        assertThatThrownBy(() -> TraceSchedule.parse(new StringReader("# nothing\n"), 1))
                .hasMessageContaining("no requests");
        assertThatThrownBy(() -> TraceSchedule.parse(new StringReader("0,1,1\n"), 0))
                .hasMessageContaining("replay speed");
    }

    @Test
    void boundedTraceStopsAtTheDuration() throws Exception {
        TraceSchedule t = TraceSchedule.parse(new StringReader("0,1,1\n1,1,1\n2,1,1\n3,1,1\n"), 1);
        List<Arrival> list = RateProfileTest.all(Schedule.bounded(t, 2_000_000_000L, 100));
        assertThat(list).hasSize(2);
    }
}
