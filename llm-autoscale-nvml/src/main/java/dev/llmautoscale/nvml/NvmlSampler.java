package dev.llmautoscale.nvml;

import com.sun.jna.Pointer;
import dev.llmautoscale.nvml.NvmlDevice.Reading;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovers the devices once and reads all of them in one sweep. Not thread-safe: the telemetry serialises calls.
 */
final class NvmlSampler {

    private static final Logger log = LoggerFactory.getLogger(NvmlSampler.class);

    private final NvmlApi api;
    private final List<NvmlDevice> devices;
    private final Consumer<NvmlReturn> errors;
    private long sequence;

    NvmlSampler(NvmlApi api, List<NvmlDevice> devices, Consumer<NvmlReturn> errors) {
        this.api = api;
        this.devices = List.copyOf(devices);
        this.errors = errors;
    }

    List<NvmlDevice> devices() {
        return devices;
    }

    /**
     * The outcome of discovery.
     *
     * @param gpuCount how many GPUs NVML enumerates
     * @param devices the devices this process may use
     * @param notes why devices were left out
     * @param unavailable GPUs (or MIG devices) that failed to answer at start
     */
    record Discovery(int gpuCount, List<NvmlDevice> devices, List<String> notes, List<String> unavailable) {
    }

    /**
     * Enumerates GPUs and MIG devices and keeps those the environment lets this process use.
     *
     * @param api an initialised NVML
     * @param environment where visibility variables are read
     * @param errors receives every failed call's result
     * @return what was found
     * @throws NvmlException when the device count itself cannot be read
     */
    static Discovery discover(NvmlApi api, NvmlEnvironment environment, Consumer<NvmlReturn> errors)
            throws NvmlException {
        int count = api.deviceCount();
        List<VisibleDevices.Unit> units = new ArrayList<>();
        List<Pointer> handles = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> unavailable = new ArrayList<>();
        for (int gpu = 0; gpu < count; gpu++) {
            Pointer handle;
            String uuid;
            try {
                handle = api.deviceHandle(gpu);
                uuid = api.uuid(handle);
            } catch (NvmlException e) {
                errors.accept(e.result());
                unavailable.add("GPU " + gpu + ": " + e.getMessage());
                continue;
            }
            String name = nameOf(api, handle, errors);
            if (!migEnabled(api, handle, gpu, errors)) {
                units.add(new VisibleDevices.Unit(gpu, -1, uuid, uuid));
                handles.add(handle);
                names.add(name);
                continue;
            }
            int max;
            try {
                max = api.maxMigDeviceCount(handle);
            } catch (NvmlException e) {
                errors.accept(e.result());
                unavailable.add("GPU " + gpu + " (" + uuid + ") MIG devices: " + e.getMessage());
                continue;
            }
            for (int mig = 0; mig < max; mig++) {
                try {
                    Pointer migHandle = api.migDeviceHandle(handle, mig);
                    String migUuid = api.uuid(migHandle);
                    units.add(new VisibleDevices.Unit(gpu, mig, migUuid, uuid));
                    handles.add(migHandle);
                    names.add(nameOf(api, migHandle, errors));
                } catch (NvmlException e) {
                    if (e.result() != NvmlReturn.NOT_FOUND) {
                        // NOT_FOUND is an empty MIG slot, not an error.
                        errors.accept(e.result());
                        unavailable.add("MIG device " + gpu + ":" + mig + ": " + e.getMessage());
                    }
                }
            }
        }
        VisibleDevices.Selection selection = VisibleDevices.select(environment, count, units);
        List<NvmlDevice> devices = new ArrayList<>();
        for (VisibleDevices.Unit unit : selection.units()) {
            int index = units.indexOf(unit);
            devices.add(new NvmlDevice(devices.size(), unit, names.get(index), handles.get(index)));
        }
        return new Discovery(count, devices, selection.notes(), unavailable);
    }

    private static String nameOf(NvmlApi api, Pointer handle, Consumer<NvmlReturn> errors) {
        try {
            return api.name(handle);
        } catch (NvmlException e) {
            errors.accept(e.result());
            return "unknown";
        }
    }

    private static boolean migEnabled(NvmlApi api, Pointer handle, int gpu, Consumer<NvmlReturn> errors) {
        try {
            return api.migEnabled(handle);
        } catch (NvmlException e) {
            if (!e.result().permanent()) {
                // NOT_SUPPORTED is the normal answer of GPUs without MIG; anything else is worth counting.
                errors.accept(e.result());
                log.info("Could not read the MIG mode of GPU {}; reporting it as a whole GPU: {}", gpu, e.getMessage());
            }
            return false;
        }
    }

    /**
     * Reads every device once.
     *
     * @return the new snapshot
     */
    Snapshot sweep() {
        DeviceSample[] samples = new DeviceSample[devices.size()];
        for (NvmlDevice device : devices) {
            samples[device.slot()] = device.lost() ? DeviceSample.LOST : read(device);
        }
        return new Snapshot(samples, ++sequence, System.currentTimeMillis());
    }

    private DeviceSample read(NvmlDevice device) {
        Pointer handle = device.handle();
        double used = Double.NaN;
        double total = Double.NaN;
        double free = Double.NaN;
        double utilization = Double.NaN;
        double temperature = Double.NaN;
        double power = Double.NaN;
        try {
            if (device.supports(Reading.MEMORY)) {
                NvmlApi.MemoryInfo memory = memory(device, handle);
                if (memory != null) {
                    used = NvmlApi.MemoryInfo.unsigned(memory.used());
                    total = NvmlApi.MemoryInfo.unsigned(memory.total());
                    free = NvmlApi.MemoryInfo.unsigned(memory.free());
                }
            }
            if (device.supports(Reading.UTILIZATION)) {
                try {
                    utilization = api.utilization(handle).gpu();
                } catch (NvmlException e) {
                    failed(device, Reading.UTILIZATION, e);
                }
            }
            if (device.supports(Reading.TEMPERATURE)) {
                try {
                    temperature = api.temperatureCelsius(handle);
                } catch (NvmlException e) {
                    failed(device, Reading.TEMPERATURE, e);
                }
            }
            if (device.supports(Reading.POWER)) {
                try {
                    power = api.powerMilliwatts(handle) / 1000.0;
                } catch (NvmlException e) {
                    failed(device, Reading.POWER, e);
                }
            }
        } catch (DeviceLost e) {
            return DeviceSample.LOST;
        }
        return new DeviceSample(used, total, free, utilization, temperature, power, false);
    }

    /** Memory through v2, falling back to v1 for good when the driver lacks v2 or rejects it. */
    private NvmlApi.@Nullable MemoryInfo memory(NvmlDevice device, Pointer handle) throws DeviceLost {
        if (device.memoryV2()) {
            try {
                return api.memoryInfoV2(handle);
            } catch (NvmlException e) {
                NvmlReturn result = e.result();
                if (result != NvmlReturn.FUNCTION_NOT_FOUND && result != NvmlReturn.NOT_SUPPORTED
                        && result != NvmlReturn.ARGUMENT_VERSION_MISMATCH) {
                    failed(device, Reading.MEMORY, e);
                    return null;
                }
                errors.accept(result);
                device.useMemoryV1();
                log.info("{}: {}; reading memory with nvmlDeviceGetMemoryInfo (v1) from now on, whose 'used' includes "
                        + "the memory the driver reserves", device.describe(), e.getMessage());
            }
        }
        try {
            return api.memoryInfo(handle);
        } catch (NvmlException e) {
            failed(device, Reading.MEMORY, e);
            return null;
        }
    }

    /** Counts and logs a failed reading; a lost device ends the device's sweep. */
    private void failed(NvmlDevice device, Reading reading, NvmlException e) throws DeviceLost {
        NvmlReturn result = e.result();
        errors.accept(result);
        if (result.deviceLost()) {
            device.markLost(e.getMessage());
            log.warn("{} ({}) is lost: {}. Its GPU metrics are removed and the GPU health reports it; the device "
                    + "needs a reset (or the node a reboot) to come back", device.describe(), device.name(),
                    e.getMessage());
            throw new DeviceLost();
        }
        if (result.permanent()) {
            device.markUnsupported(reading);
            log.info("{}: {} reading not available ({}); it is no longer asked for", device.describe(),
                    reading.name().toLowerCase(Locale.ROOT), e.getMessage());
        } else if (device.firstFailure(reading.name(), result)) {
            log.warn("{}: {} reading failed, the gauge reads NaN until it succeeds: {}", device.describe(),
                    reading.name().toLowerCase(Locale.ROOT), e.getMessage());
        } else {
            log.debug("{}: {} reading failed again: {}", device.describe(), reading, e.getMessage());
        }
    }

    /** Control flow: the device answered as lost. */
    private static final class DeviceLost extends Exception {
        private static final long serialVersionUID = 1L;

        DeviceLost() {
            super(null, null, false, false);
        }
    }
}
