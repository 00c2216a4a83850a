package dev.llmautoscale.nvml;

import dev.llmautoscale.gpu.GpuHealth;
import dev.llmautoscale.gpu.GpuTelemetry;
import dev.llmautoscale.gpu.GpuTelemetryOptions;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GPU telemetry read from the NVIDIA driver's NVML library ({@code libnvidia-ml.so.1}) through JNA.
 *
 * <p>{@link #open(GpuTelemetryOptions)} loads and initialises NVML once, finds the GPUs (and MIG devices) this
 * process may use ({@code NVIDIA_VISIBLE_DEVICES}, {@code CUDA_VISIBLE_DEVICES}), reads them once, and starts a
 * daemon thread named {@value #SAMPLER_THREAD_NAME} that reads every device once per sampling interval. Gauges,
 * {@link #memoryUsedBytes()} and {@link #health()} only read the last snapshot: a scrape never calls native code,
 * however many scrapes there are. {@link #close()} stops the thread and calls {@code nvmlShutdown}.
 *
 * <p>When there is no driver, no GPU, no visible GPU or NVML fails, {@code open} logs one WARN that says why and
 * returns an empty optional: the application starts and the GPU metrics are absent. A device that NVML declares lost
 * at run time ({@code GPU_IS_LOST}) loses its meters, is counted in {@code llm_gpu_nvml_errors_total{code}} and makes
 * {@link #health()} report it.
 *
 * <p>Meters bound by {@link #bindTo(MeterRegistry)} (Prometheus names; labels {@code gpu} = NVML index, or
 * {@code <gpu>:<mig>} for a MIG device, and {@code uuid}): {@code llm_gpu_device_memory_used_bytes},
 * {@code llm_gpu_device_memory_total_bytes}, {@code llm_gpu_device_memory_free_bytes},
 * {@code llm_gpu_utilization_percent}, {@code llm_gpu_temperature_celsius}, {@code llm_gpu_power_watts},
 * {@code llm_gpu_info{gpu,uuid,name}} (always 1), {@code llm_gpu_nvml_errors_total{code}} and, with
 * {@link GpuTelemetryOptions#legacyExporterNames()}, {@code nvidia_gpu_memory_used_bytes} and
 * {@code nvidia_gpu_memory_total_bytes}. The core registers {@code llm_gpu_memory_used_bytes} itself from
 * {@link #memoryUsedBytes()}. A reading a device does not support ({@code NOT_SUPPORTED}, as utilization on MIG
 * devices) has no meter; one that fails for a while reads NaN.
 */
public final class NvmlGpuTelemetry implements GpuTelemetry {

    /** The name of the sampling thread. */
    public static final String SAMPLER_THREAD_NAME = "llm-autoscale-nvml-sampler";

    private static final Logger log = LoggerFactory.getLogger(NvmlGpuTelemetry.class);
    private static final String DISABLED = "GPU metrics disabled: ";
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    /** The shortest sampling interval honoured; shorter settings are raised to it. */
    static final Duration MIN_INTERVAL = Duration.ofMillis(10);

    private final NvmlApi api;
    private final NvmlSampler sampler;
    private final GpuTelemetryOptions options;
    private final String driverVersion;
    private final List<String> unavailableAtStart;
    private final NvmlErrorCounts errors;
    private final ReentrantLock sweepLock = new ReentrantLock();
    private final Object meterLock = new Object();
    private final List<Binding> bindings = new ArrayList<>();
    private final Set<Integer> removedSlots = new HashSet<>();
    private final AtomicLong sweeps = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ScheduledExecutorService scheduler;
    private volatile Snapshot snapshot;
    private volatile @Nullable String sweepFailure;

    private NvmlGpuTelemetry(NvmlApi api, NvmlSampler sampler, GpuTelemetryOptions options, String driverVersion,
            List<String> unavailableAtStart, NvmlErrorCounts errors) {
        this.api = api;
        this.sampler = sampler;
        this.options = options;
        this.driverVersion = driverVersion;
        this.unavailableAtStart = List.copyOf(unavailableAtStart);
        this.errors = errors;
        this.snapshot = Snapshot.empty(sampler.devices().size());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, SAMPLER_THREAD_NAME);
            thread.setDaemon(true);
            return thread;
        });
        errors.onNewCode(this::registerErrorCounter);
    }

    /**
     * Opens NVML telemetry for the GPUs this process may use, reading the process environment.
     *
     * @param options the settings (enabled, sampling interval, legacy names)
     * @return the running telemetry, or empty (after one WARN saying why) when it cannot be used here or is disabled
     */
    public static Optional<NvmlGpuTelemetry> open(GpuTelemetryOptions options) {
        return open(options, NvmlEnvironment.system());
    }

    /**
     * Opens NVML telemetry, reading the visibility variables and the library override from {@code environment}.
     *
     * @param options the settings (enabled, sampling interval, legacy names)
     * @param environment where {@code CUDA_VISIBLE_DEVICES}, {@code NVIDIA_VISIBLE_DEVICES} and
     *     {@code LLM_AUTOSCALE_NVML_LIBRARY} are read
     * @return the running telemetry, or empty (after one WARN saying why) when it cannot be used here or is disabled
     */
    public static Optional<NvmlGpuTelemetry> open(GpuTelemetryOptions options, NvmlEnvironment environment) {
        return open(options, environment, log::warn);
    }

    /** Like {@link #open(GpuTelemetryOptions, NvmlEnvironment)}, sending the one WARN to {@code warn}. */
    static Optional<NvmlGpuTelemetry> open(GpuTelemetryOptions options, NvmlEnvironment environment,
            Consumer<String> warn) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(environment, "environment");
        if (!options.enabled()) {
            log.info("NVML GPU telemetry disabled by configuration");
            return Optional.empty();
        }
        String configured = environment.get(NvmlEnvironment.LIBRARY_VARIABLE);
        List<String> names = configured == null || configured.isBlank()
                ? JnaNvml.DEFAULT_LIBRARY_NAMES
                : List.of(configured.trim());
        JnaNvml api;
        try {
            api = JnaNvml.load(names);
        } catch (UnsatisfiedLinkError e) {
            warn.accept(DISABLED + "the NVIDIA driver's NVML library could not be loaded, so this machine (or "
                    + "container) has no NVIDIA driver or it is not mounted in: " + e.getMessage());
            return Optional.empty();
        } catch (RuntimeException | LinkageError e) {
            warn.accept(DISABLED + "JNA cannot load native libraries on this platform ("
                    + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + "): " + e.getMessage());
            return Optional.empty();
        }
        log.debug("NVML loaded from {}", api.loadedFrom());
        return open(options, environment, api, warn);
    }

    /** Initialises {@code api}, discovers devices and starts sampling; shuts NVML down again on failure. */
    static Optional<NvmlGpuTelemetry> open(GpuTelemetryOptions options, NvmlEnvironment environment, NvmlApi api,
            Consumer<String> warn) {
        try {
            api.init();
        } catch (NvmlException e) {
            warn.accept(DISABLED + "NVML did not initialise: " + e.getMessage() + hint(e.result()));
            return Optional.empty();
        } catch (RuntimeException | LinkageError e) {
            warn.accept(DISABLED + "NVML did not initialise: " + e);
            return Optional.empty();
        }
        boolean started = false;
        try {
            NvmlErrorCounts errors = new NvmlErrorCounts();
            String driver = driverVersion(api, errors);
            NvmlSampler.Discovery discovery = NvmlSampler.discover(api, environment, errors);
            if (discovery.devices().isEmpty()) {
                warn.accept(DISABLED + noDeviceReason(discovery, driver));
                return Optional.empty();
            }
            NvmlSampler sampler = new NvmlSampler(api, discovery.devices(), errors);
            NvmlGpuTelemetry telemetry =
                    new NvmlGpuTelemetry(api, sampler, options, driver, discovery.unavailable(), errors);
            telemetry.sampleNow();
            telemetry.start();
            started = true;
            telemetry.logStarted(discovery, environment);
            return Optional.of(telemetry);
        } catch (NvmlException e) {
            warn.accept(DISABLED + "NVML failed while listing GPUs: " + e.getMessage() + hint(e.result()));
            return Optional.empty();
        } catch (RuntimeException | LinkageError e) {
            warn.accept(DISABLED + "NVML failed while listing GPUs: " + e);
            return Optional.empty();
        } finally {
            if (!started) {
                shutdownQuietly(api);
            }
        }
    }

    private static String driverVersion(NvmlApi api, NvmlErrorCounts errors) {
        try {
            return api.driverVersion();
        } catch (NvmlException e) {
            errors.accept(e.result());
            return "unknown";
        }
    }

    private static String noDeviceReason(NvmlSampler.Discovery discovery, String driver) {
        if (discovery.gpuCount() == 0) {
            return "the NVIDIA driver (" + driver + ") is loaded but reports no GPU";
        }
        StringBuilder reason = new StringBuilder("none of the ").append(discovery.gpuCount())
                .append(" GPU(s) NVML reports is usable by this process");
        List<String> why = new ArrayList<>(discovery.notes());
        why.addAll(discovery.unavailable());
        if (!why.isEmpty()) {
            reason.append(": ").append(String.join("; ", why));
        }
        return reason.toString();
    }

    private static String hint(NvmlReturn result) {
        switch (result) {
            case DRIVER_NOT_LOADED:
                return ". The NVIDIA kernel driver is not loaded (no GPU on this node, or the container runs without "
                        + "the NVIDIA runtime)";
            case NO_PERMISSION:
                return ". This process may not open /dev/nvidia*; check the container's device permissions";
            case LIB_RM_VERSION_MISMATCH:
                return ". libnvidia-ml and the kernel driver have different versions; the node needs a reboot or the "
                        + "container the host's driver libraries";
            case LIBRARY_NOT_FOUND:
                return ". The driver's libraries are missing";
            default:
                return "";
        }
    }

    private static void shutdownQuietly(NvmlApi api) {
        try {
            api.shutdown();
        } catch (NvmlException | RuntimeException | LinkageError e) {
            log.debug("nvmlShutdown failed: {}", e.toString());
        }
    }

    private void start() {
        // A sweep costs tens of microseconds to milliseconds of driver time: never spin.
        long interval = Math.max(options.samplingInterval().toNanos(), MIN_INTERVAL.toNanos());
        scheduler.scheduleWithFixedDelay(this::scheduledSweep, interval, interval, TimeUnit.NANOSECONDS);
    }

    private void logStarted(NvmlSampler.Discovery discovery, NvmlEnvironment environment) {
        String devices = sampler.devices().stream()
                .map(d -> d.describe() + " " + d.name())
                .collect(Collectors.joining(", "));
        log.info("NVML GPU telemetry started: driver {}, {} device(s) reported: {}; sampling every {}",
                driverVersion, sampler.devices().size(), devices, options.samplingInterval());
        if (!discovery.notes().isEmpty()) {
            log.info("GPU visibility: {}", String.join("; ", discovery.notes()));
        }
        if (!unavailableAtStart.isEmpty()) {
            log.warn("Some GPUs did not answer NVML at start and are not reported: {}",
                    String.join("; ", unavailableAtStart));
        }
        String cuda = environment.get(VisibleDevices.CUDA_VARIABLE);
        boolean ordinals = cuda != null && cuda.chars().anyMatch(Character::isDigit)
                && !cuda.toUpperCase(Locale.ROOT).contains("GPU-") && !cuda.toUpperCase(Locale.ROOT).contains("MIG-");
        boolean mixed = sampler.devices().stream().map(NvmlDevice::name).distinct().count() > 1;
        if (ordinals && mixed && !"PCI_BUS_ID".equals(environment.get("CUDA_DEVICE_ORDER"))) {
            log.info("CUDA_VISIBLE_DEVICES uses ordinals on a machine with different GPU models: CUDA numbers them "
                    + "fastest first unless CUDA_DEVICE_ORDER=PCI_BUS_ID, NVML by PCI bus; set CUDA_DEVICE_ORDER="
                    + "PCI_BUS_ID or use UUIDs so both agree");
        }
    }

    private void scheduledSweep() {
        try {
            sampleNow();
        } catch (RuntimeException | Error e) {
            // sampleNow handles its own failures; this only keeps the schedule alive whatever happens.
            if (e instanceof VirtualMachineError) {
                throw (VirtualMachineError) e;
            }
            log.warn("Unexpected failure in the NVML sampler: {}", e.toString());
        }
    }

    /**
     * Reads every device now, on the calling thread, and publishes the result. The sampling thread does this once
     * per interval; call it only where native code is acceptable (start-up, tests, benchmarks), never from a
     * scrape or request path.
     *
     * @return whether a new snapshot was published (false once closed or when the sweep failed)
     */
    public boolean sampleNow() {
        sweepLock.lock();
        try {
            if (closed.get()) {
                return false;
            }
            Snapshot next;
            try {
                next = sampler.sweep();
            } catch (RuntimeException | Error e) {
                if (e instanceof VirtualMachineError) {
                    throw (VirtualMachineError) e;
                }
                if (sweepFailure == null) {
                    log.warn("NVML sweep failed; GPU gauges keep their last values and health reports the failure "
                            + "until a sweep succeeds: {}", e.toString());
                } else {
                    log.debug("NVML sweep failed again: {}", e.toString());
                }
                sweepFailure = e.toString();
                return false;
            }
            snapshot = next;
            sweeps.incrementAndGet();
            if (sweepFailure != null) {
                log.info("NVML sweeps succeed again");
                sweepFailure = null;
            }
            removeLostDevices(next);
            return true;
        } finally {
            sweepLock.unlock();
        }
    }

    private void removeLostDevices(Snapshot current) {
        boolean changed = false;
        for (int slot = 0; slot < current.size(); slot++) {
            if (current.sample(slot).lost()) {
                synchronized (meterLock) {
                    changed |= removedSlots.add(slot);
                }
            }
        }
        if (changed) {
            synchronized (meterLock) {
                for (Binding binding : bindings) {
                    binding.gauges.update(reported(), this::read);
                }
            }
        }
    }

    /** The devices that get gauge rows: not lost at start, not lost since. */
    private List<NvmlDevice> reported() {
        List<NvmlDevice> out = new ArrayList<>();
        for (NvmlDevice device : sampler.devices()) {
            if (!device.lost() && !removedSlots.contains(device.slot())) {
                out.add(device);
            }
        }
        return out;
    }

    @Override
    public String name() {
        return "nvml";
    }

    @Override
    public double memoryUsedBytes() {
        return closed.get() ? Double.NaN : snapshot.memoryUsedBytes();
    }

    @Override
    public GpuHealth health() {
        Map<String, Object> attributes = new LinkedHashMap<>();
        try {
            Snapshot current = snapshot;
            List<NvmlDevice> devices = sampler.devices();
            attributes.put("source", "nvml");
            attributes.put("driverVersion", driverVersion);
            attributes.put("devices", devices.size());
            List<String> details = new ArrayList<>();
            for (NvmlDevice device : devices) {
                String reason = device.lostReason();
                if (reason != null) {
                    details.add(device.describe() + " lost: " + reason);
                }
            }
            attributes.put("lostDevices", details.size());
            if (current.takenAtMillis() > 0) {
                attributes.put("lastSample", Instant.ofEpochMilli(current.takenAtMillis()).toString());
            }
            Map<String, Long> errorCounts = errors.toMap();
            if (!errorCounts.isEmpty()) {
                attributes.put("nvmlErrors", errorCounts);
            }
            if (!unavailableAtStart.isEmpty()) {
                attributes.put("unavailableAtStart", unavailableAtStart);
            }
            if (closed.get()) {
                details.add("NVML telemetry is closed");
            }
            String failure = sweepFailure;
            if (failure != null) {
                details.add("last NVML sweep failed: " + failure);
            }
            long age = System.currentTimeMillis() - current.takenAtMillis();
            long staleAfter = 3 * options.samplingInterval().toMillis() + 10_000;
            if (!closed.get() && current.takenAtMillis() > 0 && age > staleAfter) {
                details.add("NVML sampling stalled: last sample " + age / 1000 + " s ago");
            }
            return details.isEmpty() ? GpuHealth.up(attributes) : GpuHealth.down(details, attributes);
        } catch (RuntimeException e) {
            return GpuHealth.down(List.of("GPU health could not be computed: " + e), attributes);
        }
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        try {
            synchronized (meterLock) {
                if (closed.get() || bindings.stream().anyMatch(b -> b.registry == registry)) {
                    return;
                }
                Binding binding = new Binding(new DeviceGauges(registry, options.legacyExporterNames()));
                binding.gauges.update(reported(), this::read);
                errors.forEach((code, count) -> registerErrorCounter(binding, code, count));
                bindings.add(binding);
            }
        } catch (RuntimeException e) {
            log.warn("Could not register the GPU meters: {}", e.toString());
        }
    }

    private double read(int slot, ToDoubleFunction<DeviceSample> value) {
        // NaN once closed: a registry that still holds a row never reads a stale or freed sample
        return closed.get() ? Double.NaN : value.applyAsDouble(snapshot.sample(slot));
    }

    /** Called by the error counts the first time a code is seen: adds its counter to every bound registry. */
    private void registerErrorCounter(NvmlReturn code, AtomicLong count) {
        synchronized (meterLock) {
            for (Binding binding : bindings) {
                registerErrorCounter(binding, code, count);
            }
        }
    }

    private static void registerErrorCounter(Binding binding, NvmlReturn code, AtomicLong count) {
        if (binding.errorCodes.add(code)) {
            binding.errorMeters.add(FunctionCounter.builder("llm.gpu.nvml.errors", count, AtomicLong::get)
                    .tag("code", code.name())
                    .description("Failed NVML calls by nvmlReturn_t")
                    .register(binding.registry));
        }
    }

    /**
     * Stops sampling, removes this source's meters from the registries it was bound to and calls
     * {@code nvmlShutdown}. Idempotent; never throws.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        scheduler.shutdownNow();
        boolean interrupted = false;
        try {
            if (!scheduler.awaitTermination(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("The NVML sampler did not stop within {}", CLOSE_TIMEOUT);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        synchronized (meterLock) {
            for (Binding binding : bindings) {
                binding.removeAll();
            }
            bindings.clear();
        }
        try {
            if (sweepLock.tryLock(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                try {
                    api.shutdown();
                } catch (NvmlException | RuntimeException | LinkageError e) {
                    log.debug("nvmlShutdown failed: {}", e.toString());
                } finally {
                    sweepLock.unlock();
                }
            } else {
                log.warn("An NVML call is still running after {}; skipping nvmlShutdown", CLOSE_TIMEOUT);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "NvmlGpuTelemetry[driver " + driverVersion + ", devices " + sampler.devices() + "]";
    }

    /** Number of sweeps published so far (the initial one included). */
    long sweepCount() {
        return sweeps.get();
    }

    Snapshot snapshot() {
        return snapshot;
    }

    List<NvmlDevice> devices() {
        return sampler.devices();
    }

    long errorCount(NvmlReturn result) {
        return errors.count(result);
    }

    /** The meters this source registered in one registry: the device families and the error counters. */
    private static final class Binding {
        private final MeterRegistry registry;
        private final DeviceGauges gauges;
        private final List<Meter> errorMeters = new ArrayList<>();
        private final Set<NvmlReturn> errorCodes = EnumSet.noneOf(NvmlReturn.class);

        Binding(DeviceGauges gauges) {
            this.registry = gauges.registry();
            this.gauges = gauges;
        }

        void removeAll() {
            gauges.clear();
            for (Meter meter : errorMeters) {
                registry.remove(meter);
            }
            errorMeters.clear();
            errorCodes.clear();
        }
    }
}
