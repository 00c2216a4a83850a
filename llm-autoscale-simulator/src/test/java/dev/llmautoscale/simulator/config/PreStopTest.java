package dev.llmautoscale.simulator.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.llmautoscale.testsupport.SharedData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The preStop hooks users have: the guide's sleep 30, the guide's drain loop, deploy/'s sleep + loop, the action. */
class PreStopTest {

    private static PreStop parse(String yaml, Map<String, String> env) throws IOException {
        return PreStop.parse(new ConfigNode(new ObjectMapper(new YAMLFactory()).readTree(yaml), "d.yaml",
                "lifecycle.preStop"), env);
    }

    @Test
    void theGuidesDeploymentSleeps30() {
        DeploymentSpec d = Manifests.load(List.of(SharedData.require("reference/guide-configs/deployment.yaml"),
                SharedData.require("reference/guide-configs/hpa.yaml")), null).deployment();
        assertThat(d.preStop().steps()).containsExactly(new PreStop.Sleep(30));
        assertThat(d.gracePeriodSeconds()).isEqualTo(30);
        assertThat(d.readinessProbe().path()).isEqualTo("/health");
        assertThat(d.readinessProbe().initialDelaySeconds()).isEqualTo(60);
        assertThat(d.gpus()).isEqualTo(1);
        assertThat(d.memoryRequestBytes()).isEqualTo(24.0 * 1024 * 1024 * 1024);
    }

    @Test
    void theGuidesGracefulShutdownLoop() throws IOException {
        Path fragment = SharedData.require("reference/guide-configs/graceful-prestop.yaml");
        ConfigNode root = Manifests.readSingle(fragment);
        assertThat(PreStop.parse(root.get("lifecycle").get("preStop"), Map.of()).steps())
                .containsExactly(new PreStop.WaitIdle(60, 1));
    }

    @Test
    void deploysSleepThenLoopWithTheEnvironment() {
        DeploymentSpec d = DeploymentSpec.parse(Manifests.readDocuments(Path.of("../deploy/base/deployment.yaml"))
                .get(0));
        assertThat(d.preStop().steps()).containsExactly(new PreStop.Sleep(5), new PreStop.WaitIdle(60, 1));
        assertThat(d.gracePeriodSeconds()).isEqualTo(150);
        assertThat(d.startupProbe().failureThreshold()).isEqualTo(60);
        assertThat(d.surgeFor(2)).isEqualTo(1);
        assertThat(d.unavailableFor(2)).isZero();
        assertThat(d.env()).containsEntry("MAX_CONCURRENT_REQUESTS", "32");
    }

    @Test
    void theSleepActionAndAPlainSleep() throws IOException {
        assertThat(parse("{sleep: {seconds: 12}}", Map.of()).steps()).containsExactly(new PreStop.Sleep(12));
        assertThat(parse("{exec: {command: [sleep, '7']}}", Map.of()).steps()).containsExactly(new PreStop.Sleep(7));
        assertThat(parse("{exec: {command: [/bin/sh, -c, 'sleep \"${X:-3}\"']}}", Map.of("X", "9")).steps())
                .containsExactly(new PreStop.Sleep(9));
        assertThat(parse("{exec: {command: [/bin/sh, -c, 'sleep \"${X:-3}\"']}}", Map.of()).steps())
                .containsExactly(new PreStop.Sleep(3));
    }
}
