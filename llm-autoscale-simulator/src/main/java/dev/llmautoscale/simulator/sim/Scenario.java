package dev.llmautoscale.simulator.sim;

import dev.llmautoscale.simulator.autoscale.Autoscaler;
import dev.llmautoscale.simulator.autoscale.FixedReplicas;
import dev.llmautoscale.simulator.autoscale.HpaAutoscaler;
import dev.llmautoscale.simulator.autoscale.KedaAutoscaler;
import dev.llmautoscale.simulator.config.AdapterRules;
import dev.llmautoscale.simulator.config.DeploymentSpec;
import dev.llmautoscale.simulator.config.FleetConfig;
import dev.llmautoscale.simulator.config.Manifests;
import java.util.function.Supplier;

/**
 * One configuration to simulate: the fleet, the Deployment and the autoscaler (built afresh for every run, since
 * controllers keep state).
 *
 * @param label      the name in reports
 * @param fleet      the fleet
 * @param deployment the Deployment
 * @param namespace  the namespace label of the series
 * @param autoscaler builds the autoscaler
 */
public record Scenario(String label, FleetConfig fleet, DeploymentSpec deployment, String namespace,
                       Supplier<Autoscaler> autoscaler) {

    /**
     * @param label     the name in reports (null: the autoscaler's name)
     * @param manifests the autoscaler and Deployment as deployed
     * @param fleet     the fleet
     * @param fallbackRules adapter rules when the manifests hold none (null: the bundled deploy/hpa rules)
     * @return the scenario
     */
    public static Scenario of(String label, Manifests manifests, FleetConfig fleet, AdapterRules fallbackRules) {
        AdapterRules rules = manifests.adapterRules() != null ? manifests.adapterRules()
                : fallbackRules != null ? fallbackRules : AdapterRules.bundled();
        String ns = fleet.metrics().namespace().isEmpty() ? manifests.namespace() : fleet.metrics().namespace();
        double sync = fleet.metrics().hpaSyncSeconds();
        double tol = fleet.metrics().hpaTolerance();
        Supplier<Autoscaler> factory = manifests.kind().equals("ScaledObject")
                ? () -> new KedaAutoscaler(manifests.autoscaler(), sync, tol)
                : () -> new HpaAutoscaler(manifests.autoscaler(), rules, sync, tol,
                        fleet.metrics().adapterDelaySeconds());
        factory.get(); // validate now, so bad input fails before any run
        return new Scenario(label != null ? label : manifests.label(), fleet, manifests.deployment(), ns, factory);
    }

    /**
     * @param label      the name in reports
     * @param fleet      the fleet
     * @param deployment the Deployment
     * @param replicas   the fixed count
     * @return a scenario without an autoscaler
     */
    public static Scenario fixed(String label, FleetConfig fleet, DeploymentSpec deployment, int replicas) {
        return new Scenario(label, fleet, deployment, "default", () -> new FixedReplicas(replicas));
    }
}
