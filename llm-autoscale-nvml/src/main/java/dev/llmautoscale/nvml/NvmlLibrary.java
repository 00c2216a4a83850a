package dev.llmautoscale.nvml;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import org.jspecify.annotations.Nullable;

/**
 * The JNA interface mapping of the part of {@code nvml.h} this module uses. Every function returns
 * {@code nvmlReturn_t} (an {@code int}); {@code unsigned int} out-parameters are read as Java {@code int} and
 * widened without sign by the caller; {@code nvmlDevice_t} is an opaque pointer.
 *
 * <p>Interface mapping (not direct mapping) is deliberate: a function the installed driver lacks (for example
 * {@code nvmlDeviceGetMemoryInfo_v2} before R510) fails with {@link UnsatisfiedLinkError} only when called, which
 * {@link JnaNvml} maps to {@link NvmlReturn#FUNCTION_NOT_FOUND}, instead of failing the whole binding.
 */
interface NvmlLibrary extends Library {

    /** {@code NVML_INIT_FLAG_NO_GPUS}: do not fail initialisation when the machine has no GPU. */
    int INIT_FLAG_NO_GPUS = 1;
    /** {@code NVML_TEMPERATURE_GPU}: the GPU die sensor. */
    int TEMPERATURE_GPU = 0;
    /** {@code NVML_DEVICE_MIG_ENABLE}. */
    int DEVICE_MIG_ENABLE = 1;
    /** {@code NVML_DEVICE_NAME_V2_BUFFER_SIZE}. */
    int DEVICE_NAME_BUFFER_SIZE = 96;
    /** {@code NVML_DEVICE_UUID_V2_BUFFER_SIZE}. */
    int DEVICE_UUID_BUFFER_SIZE = 96;
    /** {@code NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE}. */
    int SYSTEM_DRIVER_VERSION_BUFFER_SIZE = 80;

    int nvmlInitWithFlags(int flags);

    int nvmlInit_v2();

    int nvmlShutdown();

    @Nullable String nvmlErrorString(int result);

    int nvmlSystemGetDriverVersion(byte[] version, int length);

    int nvmlDeviceGetCount_v2(IntByReference deviceCount);

    int nvmlDeviceGetHandleByIndex_v2(int index, PointerByReference device);

    int nvmlDeviceGetName(Pointer device, byte[] name, int length);

    int nvmlDeviceGetUUID(Pointer device, byte[] uuid, int length);

    int nvmlDeviceGetMemoryInfo(Pointer device, Memory memory);

    int nvmlDeviceGetMemoryInfo_v2(Pointer device, MemoryV2 memory);

    int nvmlDeviceGetUtilizationRates(Pointer device, Utilization utilization);

    int nvmlDeviceGetTemperature(Pointer device, int sensorType, IntByReference temp);

    int nvmlDeviceGetPowerUsage(Pointer device, IntByReference power);

    int nvmlDeviceGetMigMode(Pointer device, IntByReference currentMode, IntByReference pendingMode);

    int nvmlDeviceGetMaxMigDeviceCount(Pointer device, IntByReference count);

    int nvmlDeviceGetMigDeviceHandleByIndex(Pointer device, int index, PointerByReference migDevice);

    /**
     * {@code nvmlMemory_t} (v1): {@code unsigned long long total, free, used}, in that order. {@code used} includes
     * the memory the driver reserves for itself.
     */
    @Structure.FieldOrder({"total", "free", "used"})
    final class Memory extends Structure {
        public long total;
        public long free;
        public long used;
    }

    /**
     * {@code nvmlMemory_v2_t}: {@code unsigned int version; unsigned long long total, reserved, free, used}. The
     * version word must be {@code nvmlMemory_v2}, i.e. {@code sizeof(nvmlMemory_v2_t) | 2 << 24} (0x02000028 with
     * the 4 padding bytes after {@code version} that the natural alignment puts there).
     */
    @Structure.FieldOrder({"version", "total", "reserved", "free", "used"})
    final class MemoryV2 extends Structure {
        public int version;
        public long total;
        public long reserved;
        public long free;
        public long used;

        public MemoryV2() {
            version = size() | (2 << 24);
        }
    }

    /** {@code nvmlUtilization_t}: {@code unsigned int gpu, memory}, percent over the driver's last sample period. */
    @Structure.FieldOrder({"gpu", "memory"})
    final class Utilization extends Structure {
        public int gpu;
        public int memory;
    }
}
