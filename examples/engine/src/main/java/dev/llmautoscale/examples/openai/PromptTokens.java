package dev.llmautoscale.examples.openai;

/**
 * How the simulated engine counts prompt tokens: one token per four characters, rounded up, at least one (the usual
 * rule of thumb for English text with GPT-style tokenizers). A load generator that sends {@code 4 * n} characters
 * sends exactly {@code n} tokens.
 */
public final class PromptTokens {

    private PromptTokens() {
    }

    /**
     * @param text the prompt (for chat: the message contents joined by newlines)
     * @return its token count
     */
    public static int count(CharSequence text) {
        return Math.max(1, (text.length() + 3) / 4);
    }
}
