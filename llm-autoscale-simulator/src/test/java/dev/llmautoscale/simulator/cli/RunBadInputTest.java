package dev.llmautoscale.simulator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input of run (and compare): exit code 2, one message naming the file and the field, no stack trace. */
class RunBadInputTest {

    private static final String HPA = """
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: h}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: llm-inference}
              minReplicas: 1
              maxReplicas: 4
              metrics:
              - type: Pods
                pods:
                  metric: {name: inference_queue_depth}
                  target: {type: AverageValue, averageValue: "10"}
            """;

    @TempDir
    Path dir;
    Path workload;

    @BeforeEach
    void workload() throws IOException {
        workload = write("w.yaml", "type: constant\nrate: 1\nduration: 60\n");
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private CliRunner.Result runHpa(String hpa, String... extra) throws IOException {
        Path f = write("hpa.yaml", hpa);
        String[] base = {"run", "-f", f.toString(), "--workload", workload.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRunner.run(args);
    }

    private static void assertBadInput(CliRunner.Result r, String file, String... fragments) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: ").contains(file);
        for (String f : fragments) {
            assertThat(r.err()).contains(f);
        }
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(r.err().lines().count()).isEqualTo(1);
    }

    @Test
    void theValidHpaRuns() throws IOException {
        CliRunner.Result r = runHpa(HPA);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("requests offered");
    }

    @Test
    void unknownMetricType() throws IOException {
        assertBadInput(runHpa(HPA.replace("type: Pods", "type: Podz")), "hpa.yaml", "spec.metrics[0].type", "Podz",
                "Pods");
    }

    @Test
    void negativeStabilizationWindow() throws IOException {
        String hpa = HPA + "  behavior:\n    scaleUp:\n      stabilizationWindowSeconds: -5\n";
        assertBadInput(runHpa(hpa), "hpa.yaml", "spec.behavior.scaleUp.stabilizationWindowSeconds");
    }

    @Test
    void hpaWithoutATarget() throws IOException {
        assertBadInput(runHpa(HPA.replace("  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: "
                + "llm-inference}\n", "")), "hpa.yaml", "spec.scaleTargetRef.name", "no scale target");
    }

    @Test
    void aPodsMetricNoAdapterRuleServes() throws IOException {
        assertBadInput(runHpa(HPA.replace("inference_queue_depth", "tokens_per_second")), "hpa.yaml",
                "spec.metrics[0].pods.metric.name", "no prometheus-adapter rule serves 'tokens_per_second'",
                "inference_queue_depth");
    }

    @Test
    void anUnknownTarget() throws IOException {
        assertBadInput(runHpa(HPA, "--target", "other"), "hpa.yaml", "spec.scaleTargetRef.name",
                "no autoscaler targets 'other'", "llm-inference");
    }

    @Test
    void unknownFleetField() throws IOException {
        Path fleet = write("fleet.yaml", "server:\n  maxConcurency: 4\n");
        assertBadInput(runHpa(HPA, "--fleet", fleet.toString()), "fleet.yaml", "server.maxConcurency",
                "unknown field", "maxConcurrency");
    }

    @Test
    void fleetValueOutOfRange() throws IOException {
        Path fleet = write("fleet.yaml", "metrics:\n  scrapeIntervalSeconds: -15\n");
        assertBadInput(runHpa(HPA, "--fleet", fleet.toString()), "fleet.yaml", "metrics.scrapeIntervalSeconds",
                "between 1 and 3600");
    }

    @Test
    void badColdStartDistribution() throws IOException {
        Path fleet = write("fleet.yaml", "coldStart:\n  weightLoad: {distribution: gamma, mean: 60}\n");
        assertBadInput(runHpa(HPA, "--fleet", fleet.toString()), "fleet.yaml", "coldStart.weightLoad.distribution",
                "gamma", "uniform, normal, lognormal");
    }

    @Test
    void traceWithAMalformedRow() throws IOException {
        write("trace.csv", "t,prompt_tokens,max_tokens\n0.5,128,64\n1.0,abc,64\n");
        workload = write("w.yaml", "type: trace\nfile: trace.csv\n");
        assertBadInput(runHpa(HPA), "trace.csv", "row 3, column prompt_tokens", "'abc'", "integer >= 1");
    }

    @Test
    void traceWithAMissingColumn() throws IOException {
        write("trace.csv", "0.5,128,64\n1.0,128\n");
        workload = write("w.yaml", "type: trace\nfile: trace.csv\n");
        assertBadInput(runHpa(HPA), "trace.csv", "row 2", "expected 3 columns");
    }

    @Test
    void traceOutOfOrder() throws IOException {
        write("trace.csv", "2,128,64\n1,128,64\n");
        workload = write("w.yaml", "type: trace\nfile: trace.csv\n");
        assertBadInput(runHpa(HPA), "trace.csv", "row 2, column t", "sorted by time");
    }

    @Test
    void unknownWorkloadType() throws IOException {
        workload = write("w.yaml", "type: sawtooth\n");
        assertBadInput(runHpa(HPA), "w.yaml", "type", "sawtooth", "constant, ramp, spike, diurnal, bursts");
    }

    @Test
    void spikeWithoutItsPeak() throws IOException {
        workload = write("w.yaml", "type: spike\nbase: 1\nat: 10\nlength: 10\n");
        assertBadInput(runHpa(HPA), "w.yaml", "peak", "missing");
    }

    @Test
    void prometheusExportOfTheWrongKind() throws IOException {
        write("rate.json", "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
        workload = write("w.yaml", "type: prometheus\nfile: rate.json\n");
        assertBadInput(runHpa(HPA), "rate.json", "data.resultType", "matrix");
    }

    @Test
    void kedaQueryTheEvaluatorDoesNotSupport() throws IOException {
        Path so = write("so.yaml", """
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: s}
                spec:
                  scaleTargetRef: {name: llm-inference}
                  triggers:
                  - type: prometheus
                    metadata:
                      serverAddress: http://p:9090
                      threshold: "5"
                      query: histogram_quantile(0.95, rate(llm_inference_duration_seconds_bucket[5m]))
                """);
        CliRunner.Result r = CliRunner.run("run", "-f", so.toString(), "--workload", workload.toString());
        assertBadInput(r, "so.yaml", "spec.triggers[0].metadata.query", "histogram_quantile", "not supported");
    }

    @Test
    void preStopTheSimulatorCannotTime() throws IOException {
        Path dep = write("dep.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: llm-inference}
                spec:
                  template:
                    spec:
                      containers:
                      - name: c
                        lifecycle:
                          preStop:
                            exec:
                              command: ["/bin/sh", "-c", "curl -X POST localhost:8000/shutdown"]
                """);
        Path f = write("hpa.yaml", HPA);
        CliRunner.Result r = CliRunner.run("run", "-f", f.toString(), "-f", dep.toString(), "--workload",
                workload.toString());
        assertBadInput(r, "dep.yaml", "lifecycle.preStop.exec.command", "not understood", "sleep N");
    }

    @Test
    void missingFile() {
        CliRunner.Result r = CliRunner.run("run", "-f", dir.resolve("nope.yaml").toString(), "--workload",
                workload.toString());
        assertBadInput(r, "nope.yaml", "no such file");
    }

    @Test
    void badFormatOption() throws IOException {
        assertBadInput(runHpa(HPA, "--format", "xml"), "(command line)", "--format", "table, json");
    }
}
