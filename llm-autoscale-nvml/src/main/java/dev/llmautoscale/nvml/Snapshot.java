package dev.llmautoscale.nvml;

import java.util.Arrays;

/**
 * The immutable result of one sweep over every device; the telemetry publishes it through a volatile field, so a
 * gauge read is one volatile load and an array access.
 */
final class Snapshot {

    private final DeviceSample[] samples;
    private final double memoryUsedBytes;
    private final long sequence;
    private final long takenAtMillis;

    Snapshot(DeviceSample[] samples, long sequence, long takenAtMillis) {
        this.samples = samples.clone();
        this.sequence = sequence;
        this.takenAtMillis = takenAtMillis;
        double sum = 0;
        boolean any = false;
        for (DeviceSample sample : this.samples) {
            if (!sample.lost() && !Double.isNaN(sample.memoryUsedBytes())) {
                sum += sample.memoryUsedBytes();
                any = true;
            }
        }
        this.memoryUsedBytes = any ? sum : Double.NaN;
    }

    /** A snapshot with no reading yet. */
    static Snapshot empty(int devices) {
        DeviceSample[] samples = new DeviceSample[devices];
        Arrays.fill(samples, DeviceSample.UNKNOWN);
        return new Snapshot(samples, 0, 0);
    }

    DeviceSample sample(int slot) {
        return samples[slot];
    }

    int size() {
        return samples.length;
    }

    /** Memory used summed over the devices with a reading, NaN when none has one. */
    double memoryUsedBytes() {
        return memoryUsedBytes;
    }

    /** How many sweeps preceded this one (1 for the first). */
    long sequence() {
        return sequence;
    }

    /** Wall-clock time of the sweep, in epoch milliseconds (0 before the first). */
    long takenAtMillis() {
        return takenAtMillis;
    }
}
