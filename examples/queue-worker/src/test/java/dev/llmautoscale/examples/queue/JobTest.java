package dev.llmautoscale.examples.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JobTest {

    @Test
    void parsesTheDocumentedFormatAndWritesItBack() throws Exception {
        Job job = Job.parse("{\"id\":\"job-42\",\"model\":\"m\",\"prompt\":\"Hello\",\"max_tokens\":64,"
                + "\"reply_to\":\"replies\",\"enqueued_at\":1764582000000}", 1024);
        assertThat(job).isEqualTo(new Job("job-42", "m", "Hello", 64, "replies", 1764582000000L));
        assertThat(Job.parse(job.toJson(), 1024)).isEqualTo(job);
        Job minimal = Job.parse("{\"id\":\"a\",\"prompt\":\"p\",\"max_tokens\":1}", 1024);
        assertThat(minimal.model()).isNull();
        assertThat(minimal.replyTo()).isNull();
        assertThat(minimal.enqueuedAtMillis()).isEqualTo(-1);
        assertThat(minimal.toJson()).isEqualTo("{\"id\":\"a\",\"prompt\":\"p\",\"max_tokens\":1}");
    }

    private static void rejects(String raw, JobException.Reason reason, String message) {
        assertThatThrownBy(() -> Job.parse(raw, 200)).isInstanceOf(JobException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((JobException) e).reason()).isEqualTo(reason));
    }

    @Test
    void everyBadJobIsRejectedWithTheFieldAndWhatIsAllowed() {
        rejects("nope", JobException.Reason.MALFORMED, "the job is not JSON");
        rejects("\"text\"", JobException.Reason.MALFORMED, "must be a JSON object");
        rejects("{\"prompt\":\"p\",\"max_tokens\":1}", JobException.Reason.MALFORMED, "'id' is required");
        rejects("{\"id\":\"a b\",\"prompt\":\"p\",\"max_tokens\":1}", JobException.Reason.MALFORMED,
                "without spaces");
        rejects("{\"id\":7,\"prompt\":\"p\",\"max_tokens\":1}", JobException.Reason.MALFORMED,
                "'id' must be a non-empty string, got 7");
        rejects("{\"id\":\"a\",\"max_tokens\":1}", JobException.Reason.MALFORMED, "'prompt' is required");
        rejects("{\"id\":\"a\",\"prompt\":\"p\"}", JobException.Reason.MALFORMED, "'max_tokens' is required");
        rejects("{\"id\":\"a\",\"prompt\":\"p\",\"max_tokens\":0}", JobException.Reason.MALFORMED,
                "'max_tokens' must be an integer >= 1, got 0");
        rejects("{\"id\":\"a\",\"prompt\":\"p\",\"max_tokens\":1.5}", JobException.Reason.MALFORMED,
                "'max_tokens' must be an integer >= 1, got 1.5");
        rejects("{\"id\":\"a\",\"prompt\":\"p\",\"max_tokens\":1,\"enqueued_at\":\"now\"}",
                JobException.Reason.MALFORMED, "'enqueued_at' must be epoch milliseconds");
        rejects("{\"id\":\"a\",\"prompt\":\"p\",\"max_tokens\":1,\"stream\":true}", JobException.Reason.MALFORMED,
                "unknown field 'stream'");
        rejects("{\"id\":\"a\",\"prompt\":\"" + "x".repeat(300) + "\",\"max_tokens\":1}",
                JobException.Reason.TOO_LARGE, "more than MAX_JOB_BYTES (200)");
    }

    @Test
    void theIdOfABadJobIsKeptWhenItCanBeRead() {
        assertThat(Job.idOf("{\"id\":\"x\",\"max_tokens\":\"many\"}")).isEqualTo("x");
        assertThat(Job.idOf("not json")).isNull();
        assertThat(Job.idOf("[1]")).isNull();
    }
}
