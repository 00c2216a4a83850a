package dev.llmautoscale.nvml;

/**
 * The readings of one device in one sweep. Unknown values are {@link Double#NaN}.
 *
 * @param memoryUsedBytes allocated memory
 * @param memoryTotalBytes total memory
 * @param memoryFreeBytes unallocated memory
 * @param utilizationPercent GPU utilization, 0-100
 * @param temperatureCelsius GPU die temperature
 * @param powerWatts board power draw
 * @param lost whether the device is lost (then every value is NaN)
 */
record DeviceSample(double memoryUsedBytes, double memoryTotalBytes, double memoryFreeBytes,
        double utilizationPercent, double temperatureCelsius, double powerWatts, boolean lost) {

    /** The sample of a lost device. */
    static final DeviceSample LOST =
            new DeviceSample(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, true);

    /** Before the first sweep. */
    static final DeviceSample UNKNOWN =
            new DeviceSample(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, false);
}
