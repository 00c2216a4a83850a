package dev.llmautoscale.nvml;

import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;

/** {@link NvmlApi} over the driver's {@code libnvidia-ml} through JNA. */
final class JnaNvml implements NvmlApi {

    /** Names tried in order when no library is configured: the driver's soname first, then the development link. */
    static final List<String> DEFAULT_LIBRARY_NAMES = Platform.isWindows()
            ? List.of("nvml")
            : List.of("libnvidia-ml.so.1", "nvidia-ml");

    private final NvmlLibrary library;
    private final String loadedFrom;

    JnaNvml(NvmlLibrary library, String loadedFrom) {
        this.library = Objects.requireNonNull(library, "library");
        this.loadedFrom = loadedFrom;
    }

    /**
     * Loads the first library of {@code names} that the dynamic linker (or JNA's {@code jna.library.path}) finds.
     *
     * @param names library names or absolute paths
     * @return the binding
     * @throws UnsatisfiedLinkError when none loads; the message names every attempt
     * @throws IllegalStateException when JNA itself cannot run here (no native dispatch library for the platform)
     */
    static JnaNvml load(List<String> names) {
        try {
            // Initialises JNA's own native part first, so that its failure is not mistaken for a missing driver.
            if (Native.POINTER_SIZE <= 0) {
                throw new IllegalStateException("JNA reports no pointer size");
            }
        } catch (LinkageError e) {
            throw new IllegalStateException("JNA's native support is unavailable: " + e, e);
        }
        List<String> failures = new ArrayList<>();
        for (String name : names) {
            try {
                return new JnaNvml(Native.load(name, NvmlLibrary.class), name);
            } catch (UnsatisfiedLinkError e) {
                failures.add(name + ": " + firstLine(e.getMessage()));
            }
        }
        throw new UnsatisfiedLinkError("NVML library not found (" + String.join("; ", failures) + ")");
    }

    private static String firstLine(@Nullable String message) {
        if (message == null) {
            return "not found";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }

    /** The library name or path this binding was loaded from. */
    String loadedFrom() {
        return loadedFrom;
    }

    @Override
    public void init() throws NvmlException {
        int result;
        try {
            result = library.nvmlInitWithFlags(NvmlLibrary.INIT_FLAG_NO_GPUS);
        } catch (UnsatisfiedLinkError e) {
            // Drivers older than R440 lack nvmlInitWithFlags.
            check("nvmlInit_v2", library::nvmlInit_v2);
            return;
        }
        if (result != NvmlReturn.SUCCESS.code()) {
            throw failure("nvmlInitWithFlags", result);
        }
    }

    @Override
    public void shutdown() throws NvmlException {
        check("nvmlShutdown", library::nvmlShutdown);
    }

    @Override
    public String driverVersion() throws NvmlException {
        byte[] buffer = new byte[NvmlLibrary.SYSTEM_DRIVER_VERSION_BUFFER_SIZE];
        check("nvmlSystemGetDriverVersion", () -> library.nvmlSystemGetDriverVersion(buffer, buffer.length));
        return cString(buffer);
    }

    @Override
    public int deviceCount() throws NvmlException {
        IntByReference count = new IntByReference();
        check("nvmlDeviceGetCount_v2", () -> library.nvmlDeviceGetCount_v2(count));
        return count.getValue();
    }

    @Override
    public Pointer deviceHandle(int index) throws NvmlException {
        PointerByReference handle = new PointerByReference();
        check("nvmlDeviceGetHandleByIndex_v2", () -> library.nvmlDeviceGetHandleByIndex_v2(index, handle));
        return handle.getValue();
    }

    @Override
    public String name(Pointer device) throws NvmlException {
        byte[] buffer = new byte[NvmlLibrary.DEVICE_NAME_BUFFER_SIZE];
        check("nvmlDeviceGetName", () -> library.nvmlDeviceGetName(device, buffer, buffer.length));
        return cString(buffer);
    }

    @Override
    public String uuid(Pointer device) throws NvmlException {
        byte[] buffer = new byte[NvmlLibrary.DEVICE_UUID_BUFFER_SIZE];
        check("nvmlDeviceGetUUID", () -> library.nvmlDeviceGetUUID(device, buffer, buffer.length));
        return cString(buffer);
    }

    @Override
    public MemoryInfo memoryInfoV2(Pointer device) throws NvmlException {
        NvmlLibrary.MemoryV2 memory = new NvmlLibrary.MemoryV2();
        check("nvmlDeviceGetMemoryInfo_v2", () -> library.nvmlDeviceGetMemoryInfo_v2(device, memory));
        return new MemoryInfo(memory.total, memory.reserved, memory.free, memory.used);
    }

    @Override
    public MemoryInfo memoryInfo(Pointer device) throws NvmlException {
        NvmlLibrary.Memory memory = new NvmlLibrary.Memory();
        check("nvmlDeviceGetMemoryInfo", () -> library.nvmlDeviceGetMemoryInfo(device, memory));
        return new MemoryInfo(memory.total, -1, memory.free, memory.used);
    }

    @Override
    public Utilization utilization(Pointer device) throws NvmlException {
        NvmlLibrary.Utilization utilization = new NvmlLibrary.Utilization();
        check("nvmlDeviceGetUtilizationRates", () -> library.nvmlDeviceGetUtilizationRates(device, utilization));
        return new Utilization(Integer.toUnsignedLong(utilization.gpu), Integer.toUnsignedLong(utilization.memory));
    }

    @Override
    public long temperatureCelsius(Pointer device) throws NvmlException {
        IntByReference temperature = new IntByReference();
        check("nvmlDeviceGetTemperature",
                () -> library.nvmlDeviceGetTemperature(device, NvmlLibrary.TEMPERATURE_GPU, temperature));
        return Integer.toUnsignedLong(temperature.getValue());
    }

    @Override
    public long powerMilliwatts(Pointer device) throws NvmlException {
        IntByReference power = new IntByReference();
        check("nvmlDeviceGetPowerUsage", () -> library.nvmlDeviceGetPowerUsage(device, power));
        return Integer.toUnsignedLong(power.getValue());
    }

    @Override
    public boolean migEnabled(Pointer device) throws NvmlException {
        IntByReference current = new IntByReference();
        IntByReference pending = new IntByReference();
        check("nvmlDeviceGetMigMode", () -> library.nvmlDeviceGetMigMode(device, current, pending));
        return current.getValue() == NvmlLibrary.DEVICE_MIG_ENABLE;
    }

    @Override
    public int maxMigDeviceCount(Pointer device) throws NvmlException {
        IntByReference count = new IntByReference();
        check("nvmlDeviceGetMaxMigDeviceCount", () -> library.nvmlDeviceGetMaxMigDeviceCount(device, count));
        return count.getValue();
    }

    @Override
    public Pointer migDeviceHandle(Pointer device, int index) throws NvmlException {
        PointerByReference handle = new PointerByReference();
        check("nvmlDeviceGetMigDeviceHandleByIndex",
                () -> library.nvmlDeviceGetMigDeviceHandleByIndex(device, index, handle));
        return handle.getValue();
    }

    /** Runs one call; a symbol the library lacks counts as {@code NVML_ERROR_FUNCTION_NOT_FOUND}. */
    private void check(String function, IntSupplier call) throws NvmlException {
        int result;
        try {
            result = call.getAsInt();
        } catch (UnsatisfiedLinkError e) {
            result = NvmlReturn.FUNCTION_NOT_FOUND.code();
        }
        if (result != NvmlReturn.SUCCESS.code()) {
            throw failure(function, result);
        }
    }

    private NvmlException failure(String function, int result) {
        return new NvmlException(function, result, errorString(result));
    }

    /** {@code nvmlErrorString}, or {@code null} when even that fails. */
    @Nullable String errorString(int result) {
        try {
            return library.nvmlErrorString(result);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            return null;
        }
    }

    /** Decodes a NUL-terminated C string from a buffer (JNA's own decoding, UTF-8 as NVML writes it). */
    static String cString(byte[] buffer) {
        return Native.toString(buffer, StandardCharsets.UTF_8).trim();
    }
}
