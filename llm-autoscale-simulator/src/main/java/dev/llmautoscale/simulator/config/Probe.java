package dev.llmautoscale.simulator.config;

/**
 * A container probe as far as readiness timing goes.
 *
 * @param path                httpGet path, or "" for exec/tcpSocket probes (treated as succeeding at once)
 * @param initialDelaySeconds initialDelaySeconds (default 0)
 * @param periodSeconds       periodSeconds (default 10)
 * @param failureThreshold    failureThreshold (default 3)
 */
public record Probe(String path, double initialDelaySeconds, double periodSeconds, int failureThreshold) {

    static Probe parse(ConfigNode n) {
        if (n.isAbsent()) {
            return null;
        }
        String path = n.get("httpGet").isAbsent() ? "" : n.get("httpGet").string("path", "/");
        return new Probe(path, n.number("initialDelaySeconds", 0, 0, 86_400), n.number("periodSeconds", 10, 1, 86_400),
                n.integer("failureThreshold", 3, 1, 1_000_000));
    }

    /**
     * @return seconds after the probe starts of the probe whose failure makes the kubelet restart the container
     *         (initialDelaySeconds + (failureThreshold - 1) × periodSeconds)
     */
    public double lastFailureBeforeRestart() {
        return initialDelaySeconds + (failureThreshold - 1) * periodSeconds;
    }

    /**
     * The first probe time at or after {@code readyAt}, for a probe that starts at {@code start}.
     *
     * @param start   when the probe starts (container start, or the startup probe's success)
     * @param readyAt when the probed condition becomes true
     * @return when the probe first succeeds
     */
    public double firstSuccess(double start, double readyAt) {
        double first = start + initialDelaySeconds;
        if (readyAt <= first) {
            return first;
        }
        double k = Math.ceil((readyAt - first) / periodSeconds - 1e-9);
        return first + k * periodSeconds;
    }
}
