package dev.llmautoscale.nvml;

import com.sun.jna.Pointer;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * One device the telemetry reports: a GPU, or a MIG device of a GPU in MIG mode. Identity is fixed at discovery;
 * the mutable state (which calls still work, whether the device is lost) is written by sweeps only, which the
 * telemetry serialises; what other threads read ({@link #supports}, {@link #lostReason()}) is safely published.
 */
final class NvmlDevice {

    /** The readings a sweep takes from a device. */
    enum Reading {
        MEMORY, UTILIZATION, TEMPERATURE, POWER
    }

    private final int slot;
    private final VisibleDevices.Unit unit;
    private final String name;
    private final Pointer handle;

    private final Set<Reading> unsupported = ConcurrentHashMap.newKeySet();
    private final Set<String> reportedFailures = new HashSet<>();
    private boolean memoryV2 = true;
    private volatile @Nullable String lostReason;

    NvmlDevice(int slot, VisibleDevices.Unit unit, String name, Pointer handle) {
        this.slot = slot;
        this.unit = unit;
        this.name = name;
        this.handle = handle;
    }

    /** The position of this device in every snapshot. */
    int slot() {
        return slot;
    }

    /** The {@code gpu} label ({@code "0"}, or {@code "0:1"} for a MIG device). */
    String label() {
        return unit.label();
    }

    /** The device UUID ({@code GPU-...} or {@code MIG-...}): the {@code uuid} label. */
    String uuid() {
        return unit.uuid();
    }

    /** The product name NVML reports. */
    String name() {
        return name;
    }

    /** Whether this is a MIG device. */
    boolean mig() {
        return unit.mig() >= 0;
    }

    Pointer handle() {
        return handle;
    }

    boolean supports(Reading reading) {
        return !unsupported.contains(reading);
    }

    void markUnsupported(Reading reading) {
        unsupported.add(reading);
    }

    /** Whether memory is still read with {@code nvmlDeviceGetMemoryInfo_v2} (else v1). */
    boolean memoryV2() {
        return memoryV2;
    }

    void useMemoryV1() {
        memoryV2 = false;
    }

    /** Remembers a failure; answers whether it is new, so each kind is logged loudly once. */
    boolean firstFailure(String function, NvmlReturn result) {
        return reportedFailures.add(function + '/' + result);
    }

    boolean lost() {
        return lostReason != null;
    }

    /** Why the device was declared lost, or {@code null}. */
    @Nullable String lostReason() {
        return lostReason;
    }

    void markLost(String reason) {
        lostReason = reason;
    }

    /** How logs and health details name the device. */
    String describe() {
        return (mig() ? "MIG device " : "GPU ") + label() + " (" + uuid() + ")";
    }

    @Override
    public String toString() {
        return describe();
    }
}
