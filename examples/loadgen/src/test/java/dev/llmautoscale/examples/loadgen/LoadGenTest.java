package dev.llmautoscale.examples.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LoadGenTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return LoadGen.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void helpListsEveryProfile() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("constant | ramp | spike | poisson | replay", "--max-in-flight", "--csv");
    }

    @Test
    void badArgumentsExitTwoWithAClearMessage() {
        assertThat(run("--profile", "sawtooth")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--profile must be one of", "sawtooth");
        err.reset();
        assertThat(run("--rate")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--rate needs a value");
        err.reset();
        assertThat(run("--rate", "fast")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--rate must be a number, got 'fast'");
        err.reset();
        assertThat(run("--bogus=1")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option --bogus");
        err.reset();
        assertThat(run("--profile", "replay")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("needs --trace FILE");
        err.reset();
        assertThat(run("--url", "ftp://x")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("http(s)://host");
    }

    @Test
    void profilesBuildBoundedSchedules() throws Exception {
        var o = LoadGen.parse(new String[] {"--profile=spike", "--rate", "2", "--duration", "9", "--peak", "20"});
        // base 2/s for 9 s plus 20/s during [3, 4.5): 6 + 30 + 9 = 45 expected, 44 strictly inside [0, 9)
        Schedule s = LoadGen.schedule(o, "spike");
        assertThat(RateProfileTest.all(s)).hasSize(44);
        var r = LoadGen.parse(new String[] {"--duration", "100", "--requests", "7", "--rate", "50"});
        assertThat(RateProfileTest.all(LoadGen.schedule(r, "poisson"))).hasSize(7);
    }
}
