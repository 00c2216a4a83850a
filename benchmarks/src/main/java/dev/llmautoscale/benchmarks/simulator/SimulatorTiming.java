package dev.llmautoscale.benchmarks.simulator;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * A timing harness beside {@link SimulatorBenchmark}, for a noisy shared machine: each configuration of the benchmark
 * runs {@code warmup + runs} times in this JVM, and the median wall time and the median CPU time of the simulating
 * thread (which other processes on the machine disturb far less than wall time) are printed with the ratio of
 * simulated time to each. Run from the repository root:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.llmautoscale.benchmarks.simulator.SimulatorTiming [runs]}.
 */
public final class SimulatorTiming {

    private SimulatorTiming() {
    }

    /**
     * @param args optional: measured runs per configuration (default 7)
     */
    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int warmup = 3;
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        System.out.println("| run (scenario-replicas-req/s-hours) | requests | wall median (ms) | CPU median (ms)"
                + " | simulated / wall | simulated / CPU |");
        System.out.println("|---|---|---|---|---|---|");
        for (String run : new String[] {"keda-diurnal-10-24", "fixed-20-10-24", "fixed-20-10-12", "fixed-10-10-24",
            "fixed-20-5-24", "fixed-20-20-24"}) {
            SimulatorBenchmark b = new SimulatorBenchmark();
            b.run = run;
            b.setUp();
            double[] wall = new double[runs];
            double[] cpu = new double[runs];
            long requests = 0;
            for (int i = 0; i < warmup + runs; i++) {
                long c0 = mx.getCurrentThreadCpuTime();
                long w0 = System.nanoTime();
                requests = b.simulate().summary().offered();
                long w1 = System.nanoTime();
                long c1 = mx.getCurrentThreadCpuTime();
                if (i >= warmup) {
                    wall[i - warmup] = (w1 - w0) / 1e6;
                    cpu[i - warmup] = (c1 - c0) / 1e6;
                }
            }
            double simulated = Double.parseDouble(run.substring(run.lastIndexOf('-') + 1)) * 3600 * 1000;
            double w = median(wall);
            double c = median(cpu);
            System.out.printf(Locale.ROOT, "| %s | %d | %.0f | %.0f | %.0fx | %.0fx |%n", run, requests, w, c,
                    simulated / w, simulated / c);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
