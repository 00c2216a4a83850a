package dev.llmautoscale.examples.openai;

/**
 * A request the server answers with an OpenAI-style error body
 * ({@code {"error":{"message","type","param","code"}}}) and an HTTP status.
 */
public final class ApiException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final String param;
    private final String code;

    /**
     * @param status the HTTP status
     * @param type the OpenAI error type, such as {@code invalid_request_error}
     * @param param the offending request field, or {@code null}
     * @param code a machine-readable code, or {@code null}
     * @param message what is wrong and how to fix it
     */
    public ApiException(int status, String type, String param, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
    }

    /**
     * A 400 {@code invalid_request_error}.
     *
     * @param param the offending field
     * @param message what is wrong
     * @return the exception
     */
    public static ApiException invalid(String param, String message) {
        return new ApiException(400, "invalid_request_error", param, null, message);
    }

    /**
     * @return the HTTP status
     */
    public int status() {
        return status;
    }

    /**
     * @return the error type
     */
    public String type() {
        return type;
    }

    /**
     * @return the offending field, or {@code null}
     */
    public String param() {
        return param;
    }

    /**
     * @return the error code, or {@code null}
     */
    public String code() {
        return code;
    }
}
