package dev.llmautoscale.simulator.advisor.lint;

import dev.llmautoscale.simulator.config.AdapterRules;
import dev.llmautoscale.simulator.config.ConfigNode;
import dev.llmautoscale.simulator.config.DeploymentSpec;
import dev.llmautoscale.simulator.config.FleetConfig;
import dev.llmautoscale.simulator.config.Manifests;
import dev.llmautoscale.simulator.decision.HpaBehavior;
import dev.llmautoscale.simulator.decision.HpaController;
import dev.llmautoscale.simulator.decision.KedaController;

/**
 * One autoscaler to lint, with what the rules read: the parsed autoscaler (the simulator's own HPA and KEDA
 * readers, so lint accepts exactly what {@code run} accepts), its Deployment, the fleet and the adapter rules.
 *
 * @param manifests the autoscaler and its Deployment
 * @param fleet     the fleet (the fleet file, the Deployment's environment, the example server's defaults)
 * @param fleetFile the fleet file's name, for findings on its fields ("(defaults)" without one)
 * @param rules     the prometheus-adapter rules the HPA's Pods metrics go through
 * @param hpa       the HPA (for a ScaledObject: the one KEDA creates)
 * @param keda      the ScaledObject, or null for an HPA
 */
public record LintTarget(Manifests manifests, FleetConfig fleet, String fleetFile, AdapterRules rules,
                         HpaController hpa, KedaController keda) {

    /**
     * @param manifests the selection
     * @param fleet     the fleet
     * @param fleetFile the fleet file's name
     * @param fallback  adapter rules when the manifests hold none (null: the bundled deploy/hpa rules)
     * @return the target
     */
    public static LintTarget of(Manifests manifests, FleetConfig fleet, String fleetFile, AdapterRules fallback) {
        AdapterRules rules = manifests.adapterRules() != null ? manifests.adapterRules()
                : fallback != null ? fallback : AdapterRules.bundled();
        double tol = fleet.metrics().hpaTolerance();
        ConfigNode doc = manifests.autoscaler();
        if (manifests.kind().equals("ScaledObject")) {
            KedaController k = KedaController.fromScaledObject(doc.raw(), doc.file(), tol);
            return new LintTarget(manifests, fleet, fleetFile, rules, k.hpa(), k);
        }
        return new LintTarget(manifests, fleet, fleetFile, rules,
                HpaController.fromSpec(doc.raw().get("spec"), doc.file(), "spec", tol), null);
    }

    /** @return the autoscaler's file */
    public String file() {
        return manifests.autoscaler().file();
    }

    /** @return the Deployment */
    public DeploymentSpec deployment() {
        return manifests.deployment();
    }

    /** @return whether a Deployment was given */
    public boolean hasDeployment() {
        return !deployment().file().equals(DeploymentSpec.absent("").file());
    }

    /** @return the behavior in effect (defaults filled in) */
    public HpaBehavior behavior() {
        HpaBehavior b = hpa.behavior();
        if (b == null) {
            return HpaBehavior.DEFAULT;
        }
        return new HpaBehavior(b.scaleUp() != null ? b.scaleUp() : HpaBehavior.DEFAULT_SCALE_UP,
                b.scaleDown() != null ? b.scaleDown() : HpaBehavior.DEFAULT_SCALE_DOWN);
    }

    /** @return the path of the behavior block in the autoscaler */
    public String behaviorPath() {
        return keda != null ? "spec.advanced.horizontalPodAutoscalerConfig.behavior" : "spec.behavior";
    }

    /** @return the path of the max replica count */
    public String maxReplicasPath() {
        return keda != null ? "spec.maxReplicaCount" : "spec.maxReplicas";
    }

    /** @return GPUs one pod asks for */
    public int gpusPerPod() {
        int g = fleet.resources().gpusPerPod();
        if (g >= 0) {
            return g;
        }
        return deployment().gpus() >= 0 ? deployment().gpus() : 1;
    }

    /**
     * The cold start of a replica on a GPU node that has room: scheduling, image pull, weight load and warm-up
     * (their means), until the readiness probe passes. A new GPU node adds {@code coldStart.nodeProvisioning}.
     *
     * @return seconds from pod creation to Ready
     */
    public double coldStartSeconds() {
        FleetConfig.ColdStart c = fleet.coldStart();
        double start = fleet.lifecycle().schedulingSeconds() + c.imagePull().mean();
        double loaded = start + loadSeconds();
        var gated = fleet.server().gatedProbePaths();
        var startup = deployment().startupProbe();
        var readiness = deployment().readinessProbe();
        double from = start;
        if (startup != null) {
            from = startup.firstSuccess(start, gated.contains(startup.path()) ? loaded : start);
        }
        if (readiness == null) {
            return Math.max(from, loaded);
        }
        return Math.max(loaded, readiness.firstSuccess(from, gated.contains(readiness.path()) ? loaded : from));
    }

    /** @return the model load: weight load + warm-up (means) */
    public double loadSeconds() {
        return fleet.coldStart().weightLoad().mean() + fleet.coldStart().warmUp().mean();
    }
}
