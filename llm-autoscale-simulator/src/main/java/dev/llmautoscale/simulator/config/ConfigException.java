package dev.llmautoscale.simulator.config;

/**
 * Bad input: names the file, the field (a dotted path such as {@code spec.behavior.scaleUp.policies[0].type}) and
 * what is allowed. The command line prints {@link #getMessage()} on stderr and exits with code 2, never a stack trace.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The input file as the user named it. */
    private final String file;
    /** The field path inside the file. */
    private final String field;

    /**
     * @param file    the input file as the user named it ({@code "-"} for stdin)
     * @param field   the field path inside it, or a row reference for CSV input ({@code "row 12, column t"})
     * @param message what is wrong and which values are allowed
     */
    public ConfigException(String file, String field, String message) {
        super(file + ": " + field + ": " + message);
        this.file = file;
        this.field = field;
    }

    /** @return the input file as the user named it */
    public String file() {
        return file;
    }

    /** @return the field path inside the file */
    public String field() {
        return field;
    }
}
