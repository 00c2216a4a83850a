package dev.llmautoscale.simulator.advisor.lint;

import dev.llmautoscale.simulator.config.DeploymentSpec;
import dev.llmautoscale.simulator.config.FleetConfig;
import dev.llmautoscale.simulator.config.Probe;
import java.util.List;
import java.util.Locale;

/** Rules on the Deployment's pod: the grace period against the shutdown sequence, and the probes against the load. */
final class PodRules {

    private static final String CONTAINER = "spec.template.spec.containers[]";

    private PodRules() {
    }

    static void check(LintTarget t, List<Finding> out) {
        if (!t.hasDeployment()) {
            return;
        }
        DeploymentSpec d = t.deployment();
        FleetConfig.Server s = t.fleet().server();
        double preStop = d.preStop().maxSeconds();
        double grace = d.gracePeriodSeconds();
        double needed = preStop + s.preDrainDelaySeconds() + s.drainTimeoutSeconds();
        String graceField = "spec.template.spec.terminationGracePeriodSeconds";
        if (!d.preStop().steps().isEmpty() && preStop >= grace) {
            out.add(Findings.of(LintRule.PRESTOP_TAKES_GRACE_PERIOD.id(), d.file(), graceField, String.format(
                    Locale.ROOT, "the preStop hook takes %s s and the grace period is %s s%s: the grace period"
                    + " runs from the deletion, so SIGTERM comes as the hook ends (or never) and SIGKILL right"
                    + " after; the server never drains and every request still running is cut",
                    fmt(preStop), fmt(grace), grace == 30 ? " (the default)" : ""),
                    String.format(Locale.ROOT, "set terminationGracePeriodSeconds to at least %s (preStop %s +"
                    + " pre-drain delay %s + drain timeout %s), or replace the fixed sleep with the"
                    + " /active_requests loop of deploy/base/deployment.yaml", fmt(Math.ceil(needed)), fmt(preStop),
                    fmt(s.preDrainDelaySeconds()), fmt(s.drainTimeoutSeconds()))));
        } else if (grace < needed) {
            out.add(Findings.of(LintRule.GRACE_PERIOD_TOO_SHORT.id(), d.file(), graceField, String.format(
                    Locale.ROOT, "terminationGracePeriodSeconds %s is shorter than preStop (%s s) + the server's"
                    + " pre-drain delay (%s s) + drain timeout (%s s) = %s s: on scale-down the kubelet kills"
                    + " the pod while requests it accepted are still running, and they are lost",
                    fmt(grace), fmt(preStop), fmt(s.preDrainDelaySeconds()), fmt(s.drainTimeoutSeconds()),
                    fmt(needed)), String.format(Locale.ROOT, "set terminationGracePeriodSeconds to at least %s"
                    + " (or shorten DRAIN_TIMEOUT_SECONDS, at the price of cutting long answers)",
                    fmt(Math.ceil(needed)))));
        }
        probes(t, d, out);
    }

    private static void probes(LintTarget t, DeploymentSpec d, List<Finding> out) {
        List<String> gated = t.fleet().server().gatedProbePaths();
        double load = t.loadSeconds();
        Probe startup = d.startupProbe();
        Probe liveness = d.livenessProbe();
        Probe killer = startup != null ? startup : liveness;
        String killerField = CONTAINER + (startup != null ? ".startupProbe" : ".livenessProbe");
        if (killer != null && gated.contains(killer.path()) && load > killer.lastFailureBeforeRestart()) {
            out.add(Findings.of(LintRule.PROBE_RESTARTS_LOADING_POD.id(), d.file(), killerField, String.format(
                    Locale.ROOT, "%s%s probes %s, which fails until the model is loaded (%s s), and gives up after"
                    + " %s s (initialDelaySeconds %s + (failureThreshold %d - 1) x periodSeconds %s): the kubelet"
                    + " restarts the container mid-load, the next start loads again, and the pod never becomes"
                    + " Ready (CrashLoopBackOff) while the autoscaler keeps counting it",
                    startup != null ? "the startupProbe" : "the livenessProbe",
                    startup == null && d.readinessProbe() != null && d.readinessProbe().path().equals(killer.path())
                            ? " (the same path as readiness)" : "", killer.path(), fmt(load),
                    fmt(killer.lastFailureBeforeRestart()), fmt(killer.initialDelaySeconds()),
                    killer.failureThreshold(), fmt(killer.periodSeconds())),
                    String.format(Locale.ROOT, "add a startupProbe on %s with periodSeconds x failureThreshold"
                    + " above the load (deploy/: 5 s x 60 = 300 s) and point liveness at /health, which stays 200"
                    + " while loading", killer.path())));
        }
        Probe readiness = d.readinessProbe();
        if (readiness != null && !gated.contains(readiness.path())
                && (startup == null || !gated.contains(startup.path()))) {
            double readyAt = readiness.firstSuccess(0, 0);
            if (readyAt < load) {
                out.add(Findings.of(LintRule.READY_BEFORE_LOADED.id(), d.file(), CONTAINER + ".readinessProbe",
                        String.format(Locale.ROOT, "the readinessProbe probes %s%s, which answers 200 before the"
                        + " model is loaded: a new pod is Ready after %s s but loads for %s s, and the Service"
                        + " sends it requests that get 503 meanwhile", readiness.path(), liveness != null
                        && liveness.path().equals(readiness.path()) ? " (the same path as liveness)" : "",
                        fmt(readyAt), fmt(load)),
                        "probe readiness on /ready (503 until every warm-up hook succeeded) and keep /health for"
                        + " liveness"));
            }
        }
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
