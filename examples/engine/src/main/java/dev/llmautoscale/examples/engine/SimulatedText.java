package dev.llmautoscale.examples.engine;

/**
 * The text the simulated engine "generates": a fixed sentence that says what it is, one word per token, repeated.
 */
public final class SimulatedText {

    private static final String[] TOKENS = (
            " This is simulated output from the llm-autoscale example engine; no model is running,"
            + " only its timing is imitated.").split("(?= )");

    private SimulatedText() {
    }

    /**
     * Appends output tokens {@code from} to {@code from + count - 1} of a generation.
     *
     * @param out where to append
     * @param from the index of the first token
     * @param count how many tokens
     * @return {@code out}
     */
    public static StringBuilder append(StringBuilder out, int from, int count) {
        for (int i = from; i < from + count; i++) {
            out.append(TOKENS[i % TOKENS.length]);
        }
        return out;
    }
}
