package dev.llmautoscale.nvml;

import com.sun.jna.Pointer;

/**
 * The NVML calls the telemetry needs, in Java terms: every failure is an {@link NvmlException} carrying the mapped
 * {@code nvmlReturn_t}. {@link JnaNvml} implements it over the native library; tests may substitute it to provoke
 * failures the driver cannot (a runtime exception in the middle of a sweep).
 *
 * <p>Implementations need not be thread-safe: the telemetry calls them from one thread at a time.
 */
interface NvmlApi {

    /** {@code nvmlInitWithFlags(NVML_INIT_FLAG_NO_GPUS)}, or {@code nvmlInit_v2} on drivers without it. */
    void init() throws NvmlException;

    /** {@code nvmlShutdown}. */
    void shutdown() throws NvmlException;

    /** {@code nvmlSystemGetDriverVersion}. */
    String driverVersion() throws NvmlException;

    /** {@code nvmlDeviceGetCount_v2}. */
    int deviceCount() throws NvmlException;

    /** {@code nvmlDeviceGetHandleByIndex_v2}. */
    Pointer deviceHandle(int index) throws NvmlException;

    /** {@code nvmlDeviceGetName}. */
    String name(Pointer device) throws NvmlException;

    /** {@code nvmlDeviceGetUUID}. */
    String uuid(Pointer device) throws NvmlException;

    /** {@code nvmlDeviceGetMemoryInfo_v2}; {@code used} excludes the driver-reserved memory. */
    MemoryInfo memoryInfoV2(Pointer device) throws NvmlException;

    /** {@code nvmlDeviceGetMemoryInfo} (v1); {@code reserved} is unknown (-1) and {@code used} includes it. */
    MemoryInfo memoryInfo(Pointer device) throws NvmlException;

    /** {@code nvmlDeviceGetUtilizationRates}. */
    Utilization utilization(Pointer device) throws NvmlException;

    /** {@code nvmlDeviceGetTemperature(NVML_TEMPERATURE_GPU)}, in degrees Celsius. */
    long temperatureCelsius(Pointer device) throws NvmlException;

    /** {@code nvmlDeviceGetPowerUsage}, in milliwatts. */
    long powerMilliwatts(Pointer device) throws NvmlException;

    /** The current mode of {@code nvmlDeviceGetMigMode}: whether MIG is enabled now. */
    boolean migEnabled(Pointer device) throws NvmlException;

    /** {@code nvmlDeviceGetMaxMigDeviceCount}. */
    int maxMigDeviceCount(Pointer device) throws NvmlException;

    /** {@code nvmlDeviceGetMigDeviceHandleByIndex}; {@link NvmlReturn#NOT_FOUND} for an empty slot. */
    Pointer migDeviceHandle(Pointer device, int index) throws NvmlException;

    /**
     * Memory of one device, in bytes, each an {@code unsigned long long} held in a {@code long} (read it with
     * {@link #unsigned(long)}).
     *
     * @param total total memory
     * @param reserved memory reserved by the driver and firmware, -1 when the call does not report it (v1)
     * @param free unallocated memory
     * @param used allocated memory
     */
    record MemoryInfo(long total, long reserved, long free, long used) {

        /** The value of an {@code unsigned long long} held in a {@code long}, as a double. */
        static double unsigned(long value) {
            return value >= 0 ? value : value + 0x1p64;
        }
    }

    /**
     * Utilization over the driver's last sample period.
     *
     * @param gpu percent of time a kernel was running, 0-100
     * @param memory percent of time device memory was read or written, 0-100
     */
    record Utilization(long gpu, long memory) {
    }
}
