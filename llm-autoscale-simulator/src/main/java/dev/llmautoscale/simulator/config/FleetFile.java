package dev.llmautoscale.simulator.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a fleet file (YAML, see {@code docs/SIMULATOR.md}) into a {@link FleetConfig}. A field the file leaves out
 * takes the value of the example server's environment variable in the Deployment, when one was given and sets it,
 * and otherwise the example server's default. Unknown fields are errors.
 */
public final class FleetFile {

    private static final double GI = 1024.0 * 1024 * 1024;
    private static final double BIG = Double.MAX_VALUE;
    private static final double DAY = 86_400;

    private FleetFile() {
    }

    /**
     * @param root the document root (absent: every default)
     * @param deployment the Deployment, whose container environment (MAX_BATCH_SIZE, ...) gives defaults, or null
     * @return the fleet
     */
    public static FleetConfig parse(ConfigNode root, DeploymentSpec deployment) {
        root.requireKnown(Set.of("server", "coldStart", "nodePool", "resources", "metrics", "lifecycle"));
        Env e = deployment == null ? new Env(Map.of(), root.file())
                : new Env(deployment.env(), deployment.file() + " (Deployment " + deployment.name() + ")");
        return new FleetConfig(server(root.get("server"), e), coldStart(root.get("coldStart"), e),
                nodePool(root.get("nodePool")), resources(root.get("resources")), metrics(root.get("metrics")),
                lifecycle(root.get("lifecycle")));
    }

    private static FleetConfig.Server server(ConfigNode n, Env e) {
        n.requireKnown(Set.of("model", "maxConcurrency", "queueCapacity", "maxQueueWaitSeconds", "maxBatchSize",
                "prefillMsPerToken", "decodeMsPerToken", "batchSlowdown", "kvCacheTokens", "maxModelLength",
                "preDrainDelaySeconds", "drainTimeoutSeconds", "shutdownLingerSeconds", "gatedProbePaths"));
        String model = n.string("model", e.text("MODEL_NAME", "llama-2-13b-chat"));
        if (model.contains(",")) {
            throw n.get("model").fail("one model per fleet; got '" + model + "'");
        }
        int maxModelLength = n.integer("maxModelLength", e.integer("MAX_MODEL_LEN", 4096), 2, Integer.MAX_VALUE);
        int kv = n.integer("kvCacheTokens", e.integer("KV_CACHE_TOKENS", 16_384), 1, Integer.MAX_VALUE);
        if (kv < maxModelLength) {
            throw n.get("kvCacheTokens").fail(kv + " is below maxModelLength (" + maxModelLength
                    + "): a request of full context length could never run; allowed: >= maxModelLength");
        }
        List<String> gated = new ArrayList<>();
        ConfigNode paths = n.get("gatedProbePaths");
        if (paths.isAbsent()) {
            gated.add("/ready");
        } else {
            for (ConfigNode p : paths.list()) {
                gated.add(p.text());
            }
        }
        return new FleetConfig.Server(model,
                n.integer("maxConcurrency", e.integer("MAX_CONCURRENT_REQUESTS", 32), 1, Integer.MAX_VALUE),
                n.integer("queueCapacity", e.integer("QUEUE_CAPACITY", 64), 0, Integer.MAX_VALUE),
                n.number("maxQueueWaitSeconds", e.number("MAX_QUEUE_WAIT_SECONDS", 30), 0, DAY),
                n.integer("maxBatchSize", e.integer("MAX_BATCH_SIZE", 8), 1, Integer.MAX_VALUE),
                n.number("prefillMsPerToken", e.number("PREFILL_MS_PER_TOKEN", 0.5), 0, 1e6),
                n.number("decodeMsPerToken", e.number("DECODE_MS_PER_TOKEN", 25), 0.001, 1e6),
                n.number("batchSlowdown", e.number("BATCH_SLOWDOWN", 0.05), 0, 100),
                kv, maxModelLength,
                n.number("preDrainDelaySeconds", e.number("PRE_DRAIN_DELAY_SECONDS", 5), 0, DAY),
                n.number("drainTimeoutSeconds", e.number("DRAIN_TIMEOUT_SECONDS", 60), 0, DAY),
                n.number("shutdownLingerSeconds", e.number("SHUTDOWN_LINGER_SECONDS", 2), 0, DAY),
                List.copyOf(gated));
    }

    private static FleetConfig.ColdStart coldStart(ConfigNode n, Env e) {
        n.requireKnown(Set.of("nodeProvisioning", "imagePull", "imagePullCached", "weightLoad", "warmUp"));
        return new FleetConfig.ColdStart(
                Distribution.parse(n.get("nodeProvisioning"), Distribution.uniform(90, 180), 0, DAY),
                Distribution.parse(n.get("imagePull"), Distribution.fixed(30), 0, DAY),
                n.bool("imagePullCached", true),
                Distribution.parse(n.get("weightLoad"), Distribution.fixed(e.number("MODEL_LOAD_SECONDS", 60)), 0,
                        DAY),
                Distribution.parse(n.get("warmUp"), Distribution.fixed(1), 0, DAY));
    }

    private static FleetConfig.NodePool nodePool(ConfigNode n) {
        n.requireKnown(Set.of("gpusPerNode", "maxNodes", "nodesPresent", "pricePerGpuHour",
                "nodeScaleDownDelaySeconds"));
        return new FleetConfig.NodePool(n.integer("gpusPerNode", 1, 1, 1024),
                n.integer("maxNodes", 20, 0, 100_000), n.integer("nodesPresent", -1, -1, 100_000),
                n.number("pricePerGpuHour", 1.0, 0, BIG), n.number("nodeScaleDownDelaySeconds", 600, 0, DAY));
    }

    private static FleetConfig.Resources resources(ConfigNode n) {
        n.requireKnown(Set.of("gpusPerPod", "gpuMemoryBytes", "gpuWeightsBytes", "gpuKvCacheBytes",
                "memoryBaseBytes", "memoryWeightsBytes", "memoryRequestBytes", "cpuIdleCores", "cpuBusyCores",
                "cpuRequestCores"));
        double gpuMem = n.number("gpuMemoryBytes", 16 * GI, 1, BIG);
        double weights = n.number("gpuWeightsBytes", 10 * GI, 0, BIG);
        double kv = n.number("gpuKvCacheBytes", 4 * GI, 0, BIG);
        if (weights + kv > gpuMem) {
            throw n.get("gpuWeightsBytes").fail("weights (" + ConfigNode.fmt(weights) + ") + KV cache ("
                    + ConfigNode.fmt(kv) + ") exceed gpuMemoryBytes (" + ConfigNode.fmt(gpuMem)
                    + "); allowed: gpuWeightsBytes + gpuKvCacheBytes <= gpuMemoryBytes");
        }
        return new FleetConfig.Resources(n.integer("gpusPerPod", -1, -1, 1024), gpuMem, weights, kv,
                n.number("memoryBaseBytes", 2 * GI, 0, BIG), n.number("memoryWeightsBytes", 18 * GI, 0, BIG),
                n.number("memoryRequestBytes", -1, -1, BIG), n.number("cpuIdleCores", 0.2, 0, BIG),
                n.number("cpuBusyCores", 1.0, 0, BIG), n.number("cpuRequestCores", -1, -1, BIG));
    }

    private static FleetConfig.Metrics metrics(ConfigNode n) {
        n.requireKnown(Set.of("scrapeIntervalSeconds", "resourceMetricsSeconds", "hpaSyncSeconds", "hpaTolerance",
                "loadingPodsExportMetrics", "namespace", "adapterDelaySeconds"));
        return new FleetConfig.Metrics(n.number("scrapeIntervalSeconds", 15, 1, 3600),
                n.number("resourceMetricsSeconds", 15, 1, 3600), n.number("hpaSyncSeconds", 15, 1, 3600),
                n.number("hpaTolerance", 0.1, 0, 1), n.bool("loadingPodsExportMetrics", true),
                n.string("namespace", ""), n.number("adapterDelaySeconds", 0, 0, 3600));
    }

    private static FleetConfig.Lifecycle lifecycle(ConfigNode n) {
        n.requireKnown(Set.of("endpointPropagationSeconds", "schedulingSeconds", "initialReplicas"));
        return new FleetConfig.Lifecycle(n.number("endpointPropagationSeconds", 5, 0, 3600),
                n.number("schedulingSeconds", 1, 0, 3600), n.integer("initialReplicas", -1, -1, 100_000));
    }

    /** The Deployment's environment as defaults; a bad value names the variable. */
    private record Env(Map<String, String> vars, String file) {
        String text(String name, String def) {
            String v = vars.get(name);
            return v == null || v.isBlank() ? def : v.trim();
        }

        int integer(String name, int def) {
            double v = number(name, def);
            if (v != Math.rint(v) || v < 0) {
                throw new ConfigException(file, "container env " + name, "'" + vars.get(name) + "' is not an integer >= 0");
            }
            return (int) v;
        }

        double number(String name, double def) {
            String v = vars.get(name);
            if (v == null || v.isBlank()) {
                return def;
            }
            try {
                double d = Double.parseDouble(v.trim());
                if (d >= 0 && !Double.isInfinite(d)) {
                    return d;
                }
            } catch (NumberFormatException ex) {
                // reported below
            }
            throw new ConfigException(file, "container env " + name, "'" + v + "' is not a number >= 0");
        }
    }
}
