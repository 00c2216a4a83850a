package dev.llmautoscale.simulator.config;

import java.util.List;

/**
 * The fleet being simulated: how one replica serves (the example server's admission and engine), how long a new one
 * takes to start, the GPU node pool, the metric pipeline and the shutdown timings. Read by {@link FleetFile}; every
 * field has a default that matches the example server ({@code examples/engine}, {@code ExampleSettings}) and the
 * manifests in {@code deploy/}.
 *
 * @param server    one replica's capacity and its shutdown behaviour
 * @param coldStart the phases of a new replica's start
 * @param nodePool  the GPU nodes
 * @param resources what a replica uses (GPU memory, container memory and CPU), as the metrics report it
 * @param metrics   scraping and controller timings
 * @param lifecycle endpoint propagation and the initial fleet
 */
public record FleetConfig(Server server, ColdStart coldStart, NodePool nodePool, Resources resources,
                          Metrics metrics, Lifecycle lifecycle) {

    /** @return every default */
    public static FleetConfig defaults() {
        return FleetFile.parse(new ConfigNode(null, "(defaults)", ""), null);
    }

    /**
     * One replica as the example server behaves.
     *
     * @param model                 the {@code model} label of its series
     * @param maxConcurrency        MAX_CONCURRENT_REQUESTS: admitted at once (in the batch or waiting for a slot)
     * @param queueCapacity         QUEUE_CAPACITY: waiting for admission; beyond, 429
     * @param maxQueueWaitSeconds   MAX_QUEUE_WAIT_SECONDS: the longest admission wait; beyond, 429
     * @param maxBatchSize          MAX_BATCH_SIZE: sequences decoded together (continuous batching)
     * @param prefillMsPerToken     PREFILL_MS_PER_TOKEN: added to the step in which a sequence joins the batch
     * @param decodeMsPerToken      DECODE_MS_PER_TOKEN: one decode step with a batch of one
     * @param batchSlowdown         BATCH_SLOWDOWN: step length grows by this fraction per extra sequence
     * @param kvCacheTokens         KV_CACHE_TOKENS: a sequence reserves prompt + max output before it joins
     * @param maxModelLength        MAX_MODEL_LEN: prompt + output of one request (longer ones get 400)
     * @param preDrainDelaySeconds  PRE_DRAIN_DELAY_SECONDS: after SIGTERM, not ready but still admitting
     * @param drainTimeoutSeconds   DRAIN_TIMEOUT_SECONDS: the longest wait for in-flight requests
     * @param shutdownLingerSeconds SHUTDOWN_LINGER_SECONDS: after the drain, until the process exits
     * @param gatedProbePaths       probe paths that fail until the warm-up finished (the example server's
     *                              {@code /ready}); any other path (such as {@code /health}) answers 200 at once
     */
    public record Server(String model, int maxConcurrency, int queueCapacity, double maxQueueWaitSeconds,
                         int maxBatchSize, double prefillMsPerToken, double decodeMsPerToken, double batchSlowdown,
                         int kvCacheTokens, int maxModelLength, double preDrainDelaySeconds,
                         double drainTimeoutSeconds, double shutdownLingerSeconds, List<String> gatedProbePaths) {
    }

    /**
     * The start of a new replica, phase by phase, in seconds.
     *
     * @param nodeProvisioning a new GPU node, only when no node has room for the pod
     * @param imagePull        pulling the image onto a node
     * @param imagePullCached  a node that already pulled the image starts the next pod without pulling
     * @param weightLoad       reading the weights onto the GPU (the warm-up hook {@code load-model})
     * @param warmUp           the first inference (the warm-up hook {@code first-inference})
     */
    public record ColdStart(Distribution nodeProvisioning, Distribution imagePull, boolean imagePullCached,
                            Distribution weightLoad, Distribution warmUp) {
    }

    /**
     * The GPU node pool.
     *
     * @param gpusPerNode               GPUs on one node
     * @param maxNodes                  the cluster autoscaler's limit for the pool
     * @param nodesPresent              nodes up at time 0 (-1: just enough for the initial replicas)
     * @param pricePerGpuHour           what one GPU-hour of a node costs
     * @param nodeScaleDownDelaySeconds an empty node is removed after this long (cluster autoscaler's
     *                                  scale-down-unneeded-time)
     */
    public record NodePool(int gpusPerNode, int maxNodes, int nodesPresent, double pricePerGpuHour,
                           double nodeScaleDownDelaySeconds) {
    }

    /**
     * What one replica uses, as its metrics report it.
     *
     * @param gpusPerPod         GPUs per pod (-1: the Deployment's {@code nvidia.com/gpu} limit, else 1)
     * @param gpuMemoryBytes     total memory of one GPU ({@code nvidia_gpu_memory_total_bytes})
     * @param gpuWeightsBytes    GPU memory the loaded weights take (grows linearly during the load)
     * @param gpuKvCacheBytes    GPU memory of a full KV cache ({@code kvCacheTokens} tokens held)
     * @param memoryBaseBytes    container memory of the server process before the load
     * @param memoryWeightsBytes container memory the loaded model keeps resident (grows during the load)
     * @param memoryRequestBytes the memory request (-1: the Deployment's, else 24Gi)
     * @param cpuIdleCores       CPU cores used idle
     * @param cpuBusyCores       CPU cores used while the engine is busy
     * @param cpuRequestCores    the CPU request (-1: the Deployment's, else 4)
     */
    public record Resources(int gpusPerPod, double gpuMemoryBytes, double gpuWeightsBytes, double gpuKvCacheBytes,
                            double memoryBaseBytes, double memoryWeightsBytes, double memoryRequestBytes,
                            double cpuIdleCores, double cpuBusyCores, double cpuRequestCores) {
    }

    /**
     * The metric pipeline and the controllers' timings.
     *
     * @param scrapeIntervalSeconds    Prometheus scrape interval of the pods
     * @param resourceMetricsSeconds   metrics-server resolution (Resource metrics: cpu, memory)
     * @param hpaSyncSeconds           the HPA controller's sync period
     * @param hpaTolerance             the HPA controller's tolerance
     * @param loadingPodsExportMetrics whether a pod that is Running but still loading serves /metrics
     * @param namespace                the {@code namespace} label ("" : the manifests' namespace, else default)
     * @param adapterDelaySeconds      the age of the custom and external metrics an HPA reads (prometheus-adapter
     *                                 and the metrics API's lag): its queries run this long in the past
     */
    public record Metrics(double scrapeIntervalSeconds, double resourceMetricsSeconds, double hpaSyncSeconds,
                          double hpaTolerance, boolean loadingPodsExportMetrics, String namespace,
                          double adapterDelaySeconds) {
    }

    /**
     * Pod lifecycle timings.
     *
     * @param endpointPropagationSeconds from the deletion of a pod until no new request reaches it
     * @param schedulingSeconds          from creation to a pod being bound to a node that has room
     * @param initialReplicas            replicas Ready at time 0 (-1: the Deployment's spec.replicas, clamped
     *                                   to the autoscaler's min and max)
     */
    public record Lifecycle(double endpointPropagationSeconds, double schedulingSeconds, int initialReplicas) {
    }
}
