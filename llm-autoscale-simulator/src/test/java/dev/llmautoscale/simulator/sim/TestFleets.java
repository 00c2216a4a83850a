package dev.llmautoscale.simulator.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.llmautoscale.simulator.autoscale.Autoscaler;
import dev.llmautoscale.simulator.autoscale.ClusterView;
import dev.llmautoscale.simulator.config.ConfigNode;
import dev.llmautoscale.simulator.config.DeploymentSpec;
import dev.llmautoscale.simulator.config.FleetConfig;
import dev.llmautoscale.simulator.config.FleetFile;
import dev.llmautoscale.simulator.workload.RateShape;
import dev.llmautoscale.simulator.workload.RateWorkload;
import dev.llmautoscale.simulator.workload.Workload;
import dev.llmautoscale.simulator.config.Distribution;
import java.io.IOException;

/** Builders for model tests. */
final class TestFleets {

    private TestFleets() {
    }

    static FleetConfig fleet(String yaml) {
        try {
            return FleetFile.parse(new ConfigNode(new ObjectMapper(new YAMLFactory()).readTree(yaml), "fleet.yaml",
                    ""), null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static DeploymentSpec deployment(String yaml) {
        try {
            return DeploymentSpec.parse(new ConfigNode(new ObjectMapper(new YAMLFactory()).readTree(yaml),
                    "deployment.yaml", ""));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Evenly spaced arrivals at a constant rate, fixed token counts. */
    static Workload constant(double rate, int prompt, int output, double duration) {
        return new RateWorkload(RateShape.constant(rate), false, Distribution.fixed(prompt), Distribution.fixed(output),
                duration, Double.NaN, 1);
    }

    /** Sets spec.replicas to {@code to} at time {@code at}, from {@code from} before. */
    static Autoscaler scaleAt(int from, int to, double at) {
        return new Autoscaler() {
            @Override
            public void step(double t, ClusterView cluster) {
                cluster.deployment().setReplicas(t >= at ? to : from);
            }

            @Override
            public int minReplicas() {
                return Math.min(from, to);
            }

            @Override
            public int maxReplicas() {
                return Math.max(from, to);
            }

            @Override
            public String describe() {
                return "test: " + from + " -> " + to + " at " + at;
            }
        };
    }
}
