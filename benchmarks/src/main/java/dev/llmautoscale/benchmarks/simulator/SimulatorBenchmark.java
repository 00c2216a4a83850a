package dev.llmautoscale.benchmarks.simulator;

import dev.llmautoscale.simulator.config.ConfigNode;
import dev.llmautoscale.simulator.config.DeploymentSpec;
import dev.llmautoscale.simulator.config.Distribution;
import dev.llmautoscale.simulator.config.FleetConfig;
import dev.llmautoscale.simulator.config.FleetFile;
import dev.llmautoscale.simulator.config.Manifests;
import dev.llmautoscale.simulator.sim.RunOptions;
import dev.llmautoscale.simulator.sim.Scenario;
import dev.llmautoscale.simulator.sim.Simulation;
import dev.llmautoscale.simulator.sim.SimulationResult;
import dev.llmautoscale.simulator.workload.RateShape;
import dev.llmautoscale.simulator.workload.RateWorkload;
import dev.llmautoscale.simulator.workload.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One whole simulation per operation (single shot): simulated time, replicas and request rate varied one at a time,
 * so the rows show how the cost grows. {@code keda-diurnal} runs deploy/keda/scaledobject.yaml with
 * deploy/base/deployment.yaml (run from the repository root) on a day curve of mean 10 req/s; the {@code fixed}
 * rows hold a fixed replica count under a constant rate. Seed 1, 1 s steps, 128 prompt and 64 output tokens.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class SimulatorBenchmark {

    /** scenario-replicas-rate-hours. */
    @Param({"keda-diurnal-10-24", "fixed-20-10-24", "fixed-20-10-12", "fixed-10-10-24", "fixed-20-5-24",
        "fixed-20-20-24"})
    public String run;

    private Scenario scenario;
    private double rate;
    private double seconds;
    private boolean diurnal;

    /** Reads the configuration. */
    @Setup
    public void setUp() {
        String[] p = run.split("-");
        rate = Double.parseDouble(p[2]);
        seconds = Double.parseDouble(p[3]) * 3600;
        if (p[0].equals("keda")) {
            Path so = Path.of("deploy/keda/scaledobject.yaml");
            Path dep = Path.of("deploy/base/deployment.yaml");
            if (!Files.exists(so)) {
                throw new IllegalStateException("run from the repository root: " + so + " is absent");
            }
            Manifests m = Manifests.load(List.of(so, dep), null);
            scenario = Scenario.of("keda", m, FleetFile.parse(new ConfigNode(null, "(defaults)", ""),
                    m.deployment()), null);
            diurnal = true;
        } else {
            int replicas = Integer.parseInt(p[1]);
            FleetConfig f = FleetFile.parse(new ConfigNode(null, "(defaults)", ""), null);
            scenario = Scenario.fixed("fixed", new FleetConfig(f.server(), f.coldStart(),
                    new FleetConfig.NodePool(1, 100, -1, 1, 600), f.resources(), f.metrics(), f.lifecycle()),
                    DeploymentSpec.absent("bench"), replicas);
        }
    }

    /**
     * @return the result (consumed by JMH)
     */
    @Benchmark
    public SimulationResult simulate() {
        RateShape shape = diurnal ? RateShape.diurnal(rate, 0.6 * rate, 86_400, 14 * 3600) : RateShape.constant(rate);
        Workload w = new RateWorkload(shape, true, Distribution.fixed(128), Distribution.fixed(64), seconds,
                Double.NaN, 1);
        return new Simulation(scenario, w, RunOptions.defaults()).run();
    }
}
