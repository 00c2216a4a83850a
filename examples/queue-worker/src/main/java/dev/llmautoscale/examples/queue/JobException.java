package dev.llmautoscale.examples.queue;

/** A job that can never succeed: it goes to the dead-letter list at once, with this message as its error. */
public final class JobException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a job is given up on; the {@code reason} label of {@code llm_queue_worker_jobs_dead_lettered_total}. */
    public enum Reason {
        /** Not JSON, not an object, or a field missing or of the wrong type. */
        MALFORMED,
        /** The job names a model this worker does not serve. */
        UNKNOWN_MODEL,
        /** The job is larger than {@code MAX_JOB_BYTES}, or its prompt plus output exceeds the model's context. */
        TOO_LARGE,
        /** Taken {@code MAX_ATTEMPTS} times without completing (worker crashes or engine failures). */
        ATTEMPTS_EXHAUSTED;

        /**
         * @return the label value: the name in lower case
         */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Reason reason;

    /**
     * @param reason why
     * @param message what is wrong, naming the field and what is allowed
     */
    public JobException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /**
     * @return why
     */
    public Reason reason() {
        return reason;
    }
}
