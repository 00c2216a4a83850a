package dev.llmautoscale.testing;

import dev.llmautoscale.gpu.GpuTelemetry;
import dev.llmautoscale.gpu.GpuTelemetryOptions;
import dev.llmautoscale.gpu.GpuTelemetryProvider;
import java.util.Optional;

/** Registered in test resources to prove ServiceLoader discovery; a failing provider with higher priority first. */
public final class TestGpuTelemetryProvider implements GpuTelemetryProvider {

    @Override
    public Optional<GpuTelemetry> open(GpuTelemetryOptions options) {
        return Optional.of(new FixedGpuTelemetry(4096) {
            @Override
            public String name() {
                return "test-provider";
            }
        });
    }

    /** A provider that throws, ranked first: the loader logs it and moves on. */
    public static final class Broken implements GpuTelemetryProvider {
        @Override
        public int priority() {
            return 1000;
        }

        @Override
        public Optional<GpuTelemetry> open(GpuTelemetryOptions options) {
            throw new UnsatisfiedLinkError("libnvidia-ml.so.1: cannot open shared object file");
        }
    }
}
