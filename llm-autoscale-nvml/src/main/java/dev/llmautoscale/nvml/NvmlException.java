package dev.llmautoscale.nvml;

import org.jspecify.annotations.Nullable;

/** A failed NVML call: the function, the mapped {@code nvmlReturn_t} and the driver's own error string. */
final class NvmlException extends Exception {

    private static final long serialVersionUID = 1L;

    private final NvmlReturn result;
    private final int rawCode;

    NvmlException(String function, int rawCode, @Nullable String driverMessage) {
        super(function + " failed: " + NvmlReturn.of(rawCode) + " (" + rawCode
                + (driverMessage == null || driverMessage.isBlank() ? "" : ", \"" + driverMessage + "\"") + ")");
        this.result = NvmlReturn.of(rawCode);
        this.rawCode = rawCode;
    }

    /** The mapped result. */
    NvmlReturn result() {
        return result;
    }

    /** The raw {@code nvmlReturn_t} value. */
    int rawCode() {
        return rawCode;
    }
}
