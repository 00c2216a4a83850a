package dev.llmautoscale.examples.settings;

/** A configuration value that cannot be used; the message names the variable, the value and what is expected. */
public final class SettingsException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong
     */
    public SettingsException(String message) {
        super(message);
    }
}
