package dev.llmautoscale.nvml;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * The per-device gauge families of one registry, each a Micrometer {@link MultiGauge} with one row per device: a
 * device lost at run time drops out of every family when the rows are registered again ({@link #update}).
 */
final class DeviceGauges {

    /**
     * One family: a name, and which reading feeds it.
     *
     * @param name the Micrometer name
     * @param unit its base unit
     * @param description its help text
     * @param reading the reading a device must support to get a row, or {@code null} for every device
     * @param value the value of a row from the device's last sample; {@code null} for the constant info gauge
     * @param legacy whether it is one of the older NVIDIA exporter names
     */
    record Family(String name, @Nullable String unit, String description, NvmlDevice.@Nullable Reading reading,
            @Nullable ToDoubleFunction<DeviceSample> value, boolean legacy) {
    }

    /** Every family, in registration order. */
    static final List<Family> FAMILIES = List.of(
            new Family("llm.gpu.device.memory.used", BaseUnits.BYTES, "GPU memory allocated on the device (NVML)",
                    NvmlDevice.Reading.MEMORY, DeviceSample::memoryUsedBytes, false),
            new Family("llm.gpu.device.memory.total", BaseUnits.BYTES, "Total GPU memory of the device (NVML)",
                    NvmlDevice.Reading.MEMORY, DeviceSample::memoryTotalBytes, false),
            new Family("llm.gpu.device.memory.free", BaseUnits.BYTES, "Unallocated GPU memory of the device (NVML)",
                    NvmlDevice.Reading.MEMORY, DeviceSample::memoryFreeBytes, false),
            new Family("nvidia.gpu.memory.used", BaseUnits.BYTES,
                    "GPU memory used, under the older NVIDIA GPU exporter's name", NvmlDevice.Reading.MEMORY,
                    DeviceSample::memoryUsedBytes, true),
            new Family("nvidia.gpu.memory.total", BaseUnits.BYTES,
                    "Total GPU memory, under the older NVIDIA GPU exporter's name", NvmlDevice.Reading.MEMORY,
                    DeviceSample::memoryTotalBytes, true),
            new Family("llm.gpu.utilization", BaseUnits.PERCENT,
                    "Percent of the last sample period during which a kernel ran on the GPU, 0-100 (NVML)",
                    NvmlDevice.Reading.UTILIZATION, DeviceSample::utilizationPercent, false),
            new Family("llm.gpu.temperature", "celsius", "GPU die temperature (NVML)",
                    NvmlDevice.Reading.TEMPERATURE, DeviceSample::temperatureCelsius, false),
            new Family("llm.gpu.power", "watts", "Power drawn by the GPU board (NVML)", NvmlDevice.Reading.POWER,
                    DeviceSample::powerWatts, false),
            new Family("llm.gpu.info", null, "GPU product name per device; always 1", null, null, false));

    private final MeterRegistry registry;
    private final List<Family> families = new ArrayList<>();
    private final List<MultiGauge> gauges = new ArrayList<>();

    /**
     * @param registry where the families are registered
     * @param legacyNames whether the older NVIDIA exporter names are included
     */
    DeviceGauges(MeterRegistry registry, boolean legacyNames) {
        this.registry = registry;
        for (Family f : FAMILIES) {
            if (!f.legacy() || legacyNames) {
                families.add(f);
                gauges.add(MultiGauge.builder(f.name()).baseUnit(f.unit()).description(f.description())
                        .register(registry));
            }
        }
    }

    MeterRegistry registry() {
        return registry;
    }

    /** Reads one value of a device's last sample: NaN once the source is closed. */
    @FunctionalInterface
    interface SlotReader {
        double read(int slot, ToDoubleFunction<DeviceSample> value);
    }

    /**
     * Registers the rows of the devices being reported, replacing the previous rows (rows of devices no longer
     * listed are removed from the registry).
     *
     * @param devices the devices that get rows
     * @param reader reads a device slot's values
     */
    void update(List<NvmlDevice> devices, SlotReader reader) {
        for (int i = 0; i < families.size(); i++) {
            Family f = families.get(i);
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            for (NvmlDevice device : devices) {
                if (f.reading() != null && !device.supports(f.reading())) {
                    continue;
                }
                int slot = device.slot();
                Tags tags = Tags.of("gpu", device.label(), "uuid", device.uuid());
                ToDoubleFunction<DeviceSample> value = f.value() == null ? s -> 1.0 : f.value();
                rows.add(MultiGauge.Row.of(f.value() == null ? tags.and("name", device.name()) : tags, reader,
                        r -> r.read(slot, value)));
            }
            gauges.get(i).register(rows, true);
        }
    }

    /** Removes every row. */
    void clear() {
        for (MultiGauge gauge : gauges) {
            gauge.register(List.of(), true);
        }
    }
}
