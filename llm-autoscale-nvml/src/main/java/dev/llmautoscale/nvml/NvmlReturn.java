package dev.llmautoscale.nvml;

import org.jspecify.annotations.Nullable;

/**
 * The values of NVML's {@code nvmlReturn_t}, as defined in {@code nvml.h}. The constant names drop the
 * {@code NVML_ERROR_} prefix; they are also the values of the {@code code} label of {@code llm_gpu_nvml_errors_total}.
 */
enum NvmlReturn {
    SUCCESS(0),
    UNINITIALIZED(1),
    INVALID_ARGUMENT(2),
    NOT_SUPPORTED(3),
    NO_PERMISSION(4),
    ALREADY_INITIALIZED(5),
    NOT_FOUND(6),
    INSUFFICIENT_SIZE(7),
    INSUFFICIENT_POWER(8),
    DRIVER_NOT_LOADED(9),
    TIMEOUT(10),
    IRQ_ISSUE(11),
    LIBRARY_NOT_FOUND(12),
    FUNCTION_NOT_FOUND(13),
    CORRUPTED_INFOROM(14),
    GPU_IS_LOST(15),
    RESET_REQUIRED(16),
    OPERATING_SYSTEM(17),
    LIB_RM_VERSION_MISMATCH(18),
    IN_USE(19),
    MEMORY(20),
    NO_DATA(21),
    VGPU_ECC_NOT_ENABLED(22),
    INSUFFICIENT_RESOURCES(23),
    FREQ_NOT_SUPPORTED(24),
    ARGUMENT_VERSION_MISMATCH(25),
    DEPRECATED(26),
    NOT_READY(27),
    GPU_NOT_FOUND(28),
    INVALID_STATE(29),
    UNKNOWN(999);

    private static final @Nullable NvmlReturn[] BY_CODE = new NvmlReturn[30];

    static {
        for (NvmlReturn value : values()) {
            if (value.code < BY_CODE.length) {
                BY_CODE[value.code] = value;
            }
        }
    }

    private final int code;

    NvmlReturn(int code) {
        this.code = code;
    }

    /** The numeric value of {@code nvmlReturn_t}. */
    int code() {
        return code;
    }

    /**
     * Maps a raw return code. Codes newer than this table map to {@link #UNKNOWN}, which keeps the error counter's
     * {@code code} label bounded; the raw number still appears in {@link NvmlException}'s message.
     */
    static NvmlReturn of(int code) {
        if (code >= 0 && code < BY_CODE.length && BY_CODE[code] != null) {
            return BY_CODE[code];
        }
        return UNKNOWN;
    }

    /** Whether the device can no longer be used until it is reset: it is lost for this process. */
    boolean deviceLost() {
        return this == GPU_IS_LOST || this == RESET_REQUIRED || this == GPU_NOT_FOUND;
    }

    /** Whether asking again cannot succeed, so the reading is given up for the device. */
    boolean permanent() {
        return this == NOT_SUPPORTED || this == FUNCTION_NOT_FOUND || this == NO_PERMISSION;
    }
}
