package dev.llmautoscale.nvml;

import com.sun.jna.Pointer;

/** An {@link NvmlApi} that forwards every call; tests override the calls they want to disturb. */
class DelegatingNvml implements NvmlApi {

    private final NvmlApi delegate;

    DelegatingNvml(NvmlApi delegate) {
        this.delegate = delegate;
    }

    @Override
    public void init() throws NvmlException {
        delegate.init();
    }

    @Override
    public void shutdown() throws NvmlException {
        delegate.shutdown();
    }

    @Override
    public String driverVersion() throws NvmlException {
        return delegate.driverVersion();
    }

    @Override
    public int deviceCount() throws NvmlException {
        return delegate.deviceCount();
    }

    @Override
    public Pointer deviceHandle(int index) throws NvmlException {
        return delegate.deviceHandle(index);
    }

    @Override
    public String name(Pointer device) throws NvmlException {
        return delegate.name(device);
    }

    @Override
    public String uuid(Pointer device) throws NvmlException {
        return delegate.uuid(device);
    }

    @Override
    public MemoryInfo memoryInfoV2(Pointer device) throws NvmlException {
        return delegate.memoryInfoV2(device);
    }

    @Override
    public MemoryInfo memoryInfo(Pointer device) throws NvmlException {
        return delegate.memoryInfo(device);
    }

    @Override
    public Utilization utilization(Pointer device) throws NvmlException {
        return delegate.utilization(device);
    }

    @Override
    public long temperatureCelsius(Pointer device) throws NvmlException {
        return delegate.temperatureCelsius(device);
    }

    @Override
    public long powerMilliwatts(Pointer device) throws NvmlException {
        return delegate.powerMilliwatts(device);
    }

    @Override
    public boolean migEnabled(Pointer device) throws NvmlException {
        return delegate.migEnabled(device);
    }

    @Override
    public int maxMigDeviceCount(Pointer device) throws NvmlException {
        return delegate.maxMigDeviceCount(device);
    }

    @Override
    public Pointer migDeviceHandle(Pointer device, int index) throws NvmlException {
        return delegate.migDeviceHandle(device, index);
    }
}
