package dev.llmautoscale.examples.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmautoscale.examples.deploy.Exposition;
import dev.llmautoscale.examples.deploy.FakeGpu;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A GPU lost while the server runs: the example server has GPU readiness on ({@code gpuAffectsReadiness}), so
 * {@code /ready} turns 503 with the reason once the NVML sampler sees the loss, while {@code /health} (liveness) stays
 * 200: the pod leaves the Service's endpoints without being restarted. The loss is scripted in the fake NVML driver,
 * which the server reads through the real JNA binding.
 */
class GpuLossIT {

    @Test
    void aLostGpuMakesTheServerUnreadyButAlive() throws Exception {
        Path logs = Path.of(System.getProperty("server.logs", "target/e2e-logs"));
        Path control = logs.resolve("fake-nvml-control-gpu-loss");
        FakeGpu.writeControl(control);
        Map<String, String> env = Map.of(
                "MODEL_NAME", "llama-13b",
                "MODEL_LOAD_SECONDS", "0.2",
                "LLM_AUTOSCALE_NVML_LIBRARY", System.getProperty("fake.nvml.library"),
                "FAKE_NVML_CONTROL", control.toString());
        try (ServerProcess s = ServerProcess.start("gpu-loss", env)) {
            Readiness.await(s);
            ServerProcess.Answer ready = s.get("/ready");
            assertThat(ready.status()).as(ready.body()).isEqualTo(200);
            double lostBefore = Exposition.value(s.scrape(), "llm_gpu_nvml_errors_total{code=\"GPU_IS_LOST\"}");

            // GPU 0, the one that answered, falls off the bus
            FakeGpu.writeControl(control, FakeGpu.CONTROL + "gpu0.lost=1\n");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((ready = s.get("/ready")).status() == 200 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(ready.status()).as("unready after the loss; output:\n" + s.output()).isEqualTo(503);
            assertThat(ready.body()).contains("\"ready\":false", "gpu: ", "GPU-0f4c1e2a-0000-4000-8000-000000000001",
                    "lost");
            ServerProcess.Answer health = s.get("/health");
            assertThat(health.status()).as("liveness is not readiness: " + health.body()).isEqualTo(200);
            assertThat(Exposition.value(s.scrape(), "llm_gpu_nvml_errors_total{code=\"GPU_IS_LOST\"}"))
                    .as("the loss is counted").isGreaterThan(lostBefore);
        }
    }
}
