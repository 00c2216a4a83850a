package dev.llmautoscale.simulator.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the simulator takes from an {@code apps/v1} Deployment: replicas, the rolling-update bounds, the grace
 * period, the preStop hook, the probes, the resource requests, the GPU limit and the container's environment (the
 * example server's settings). The container read is the first one that asks for {@code nvidia.com/gpu}, else the
 * first.
 *
 * @param file                 the file it came from
 * @param name                 metadata.name
 * @param namespace            metadata.namespace ("" when absent)
 * @param replicas             spec.replicas (default 1)
 * @param maxSurge             rolling update maxSurge, resolved against replicas when a percentage (rounded up)
 * @param maxUnavailable       rolling update maxUnavailable, resolved (rounded down)
 * @param gracePeriodSeconds   terminationGracePeriodSeconds (default 30)
 * @param preStop              the preStop hook
 * @param startupProbe         the startupProbe, or null
 * @param readinessProbe       the readinessProbe, or null (Ready as soon as the container runs)
 * @param memoryRequestBytes   resources.requests.memory, or -1
 * @param cpuRequestCores      resources.requests.cpu, or -1
 * @param gpus                 resources.limits nvidia.com/gpu, or -1
 * @param env                  the container's env (literal values only)
 * @param livenessProbe        the livenessProbe, or null
 */
public record DeploymentSpec(String file, String name, String namespace, int replicas, String maxSurge,
                             String maxUnavailable, double gracePeriodSeconds, PreStop preStop, Probe startupProbe,
                             Probe readinessProbe, double memoryRequestBytes, double cpuRequestCores, int gpus,
                             Map<String, String> env, Probe livenessProbe) {

    /**
     * @param doc a Deployment document
     * @return what the simulator needs from it
     */
    public static DeploymentSpec parse(ConfigNode doc) {
        String name = doc.get("metadata").string("name", "");
        String namespace = doc.get("metadata").string("namespace", "");
        ConfigNode spec = doc.get("spec");
        int replicas = spec.integer("replicas", 1, 0, 100_000);
        ConfigNode ru = spec.get("strategy").get("rollingUpdate");
        String surge = ru.string("maxSurge", "25%");
        String unavailable = ru.string("maxUnavailable", "25%");
        ConfigNode pod = spec.get("template").get("spec");
        double grace = pod.number("terminationGracePeriodSeconds", 30, 0, 86_400);
        List<ConfigNode> containers = pod.get("containers").list();
        if (containers.isEmpty()) {
            throw pod.get("containers").fail("missing; a Deployment needs at least one container");
        }
        ConfigNode c = containers.get(0);
        for (ConfigNode candidate : containers) {
            if (candidate.get("resources").get("limits").has("nvidia.com/gpu")) {
                c = candidate;
                break;
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (ConfigNode e : c.get("env").list()) {
            if (e.has("name") && e.has("value")) {
                env.put(e.get("name").text(), e.get("value").text());
            }
        }
        ConfigNode requests = c.get("resources").get("requests");
        ConfigNode limits = c.get("resources").get("limits");
        double memory = requests.number("memory", limits.number("memory", -1, 0, Double.MAX_VALUE), 0,
                Double.MAX_VALUE);
        double cpu = requests.number("cpu", limits.number("cpu", -1, 0, Double.MAX_VALUE), 0, Double.MAX_VALUE);
        int gpus = limits.integer("nvidia.com/gpu", requests.integer("nvidia.com/gpu", -1, 0, 1024), 0, 1024);
        return new DeploymentSpec(doc.file(), name, namespace, replicas, surge, unavailable, grace,
                PreStop.parse(c.get("lifecycle").get("preStop"), env), Probe.parse(c.get("startupProbe")),
                Probe.parse(c.get("readinessProbe")), memory, cpu, gpus, Map.copyOf(env),
                Probe.parse(c.get("livenessProbe")));
    }

    /**
     * A Deployment as Kubernetes defaults it, for runs without one.
     *
     * @param name the target name
     * @return 1 replica, 25% surge and unavailability, 30 s grace, no hook, no probes
     */
    public static DeploymentSpec absent(String name) {
        return new DeploymentSpec("(no Deployment given)", name, "", 1, "25%", "25%", 30, PreStop.none(), null, null,
                -1, -1, -1, Map.of(), null);
    }

    /**
     * @param replicas the desired count
     * @return maxSurge as a pod count (percentages round up, at least 1 when maxUnavailable is 0)
     */
    public int surgeFor(int replicas) {
        int s = resolve(maxSurge, replicas, true, "spec.strategy.rollingUpdate.maxSurge");
        int u = resolve(maxUnavailable, replicas, false, "spec.strategy.rollingUpdate.maxUnavailable");
        return s == 0 && u == 0 ? 1 : s;
    }

    /**
     * @param replicas the desired count
     * @return maxUnavailable as a pod count (percentages round down)
     */
    public int unavailableFor(int replicas) {
        return resolve(maxUnavailable, replicas, false, "spec.strategy.rollingUpdate.maxUnavailable");
    }

    private int resolve(String v, int replicas, boolean up, String field) {
        try {
            if (v.endsWith("%")) {
                double p = Double.parseDouble(v.substring(0, v.length() - 1)) / 100 * replicas;
                return (int) (up ? Math.ceil(p - 1e-9) : Math.floor(p + 1e-9));
            }
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(file, field, "'" + v + "' is not an integer or a percentage such as 25%");
        }
    }
}
