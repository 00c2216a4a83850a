package dev.llmautoscale.simulator.advisor.recommend;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmautoscale.simulator.advisor.lint.Finding;
import dev.llmautoscale.simulator.advisor.lint.LintTarget;
import dev.llmautoscale.simulator.advisor.lint.Linter;
import dev.llmautoscale.simulator.config.AdapterRules;
import dev.llmautoscale.simulator.config.ConfigNode;
import dev.llmautoscale.simulator.config.FleetConfig;
import dev.llmautoscale.simulator.config.Manifests;
import dev.llmautoscale.simulator.decision.HpaBehavior;
import dev.llmautoscale.simulator.sim.RunOptions;
import dev.llmautoscale.simulator.sim.Scenario;
import dev.llmautoscale.simulator.sim.Simulation;
import dev.llmautoscale.simulator.sim.SimulationResult;
import dev.llmautoscale.simulator.workload.Workload;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Searches the autoscaler knobs ({@link Knobs}) for the config with the fewest billed GPU-hours that meets the
 * {@link Slo}, by simulating each candidate on the workload: a seeded search bounded by a number of simulations,
 * whose first half explores (one draw in four a fresh random point, else the best point with one or two knobs
 * changed) and whose second half descends (every one-knob change of the best, restarting from each improvement). Candidates that
 * {@code lint} finds fault with (on the autoscaler) are skipped without a run, so the recommendation is lint-clean.
 * The same inputs and seed give the same recommendation.
 */
public final class Recommender {

    private final Manifests start;
    private final FleetConfig fleet;
    private final String fleetFile;
    private final AdapterRules rules;
    private final Supplier<Workload> workload;
    private final RunOptions options;
    private final Slo slo;

    /**
     * @param start     the starting autoscaler and its Deployment
     * @param fleet     the fleet
     * @param fleetFile the fleet file's name
     * @param rules     the adapter rules (null: those in the manifests, else the bundled ones)
     * @param workload  a fresh copy of the workload for each run
     * @param options   the run options (seed included)
     * @param slo       the SLO
     */
    public Recommender(Manifests start, FleetConfig fleet, String fleetFile, AdapterRules rules,
                       Supplier<Workload> workload, RunOptions options, Slo slo) {
        this.start = start;
        this.fleet = fleet;
        this.fleetFile = fleetFile;
        this.rules = start.adapterRules() != null ? start.adapterRules() : rules != null ? rules
                : AdapterRules.bundled();
        this.workload = workload;
        this.options = options;
        this.slo = slo;
    }

    /**
     * @param budget   the most simulations to run (at least 2: the start and one candidate)
     * @param progress receives a line every 10 runs
     * @return the best config found
     */
    public Recommendation search(int budget, Consumer<String> progress) {
        SimulationResult startRun = run(Scenario.of("start", start, fleet, rules));
        boolean keda = start.kind().equals("ScaledObject");
        LintTarget startLint = LintTarget.of(start, fleet, fleetFile, rules);
        int max = startLint.hpa().maxReplicas();
        var np = fleet.nodePool();
        int gpus = Math.max(1, startLint.gpusPerPod());
        SearchSpace space = new SearchSpace(rules, keda, max, np.maxNodes() * (np.gpusPerNode() / gpus));
        SplittableRandom random = new SplittableRandom(options.seed());
        Knobs current = initial(startLint, space);
        Set<Knobs> seen = new HashSet<>();
        Knobs bestKnobs = null;
        SimulationResult best = null;
        double bestScore = Double.POSITIVE_INFINITY;
        String bestYaml = null;
        int runs = 1;
        int draws = 0;
        // Half the budget explores (random points and mutations of the best), the rest descends: every one-knob
        // change of the best, in order, restarting from each improvement.
        java.util.ArrayDeque<Knobs> descent = new java.util.ArrayDeque<>();
        Knobs descentFrom = null;
        while (runs < budget && draws < budget * 50) {
            draws++;
            Knobs k;
            if (bestKnobs == null) {
                k = seen.isEmpty() ? current : space.random(random);
            } else if (runs < budget / 2) {
                k = random.nextInt(4) == 0 ? space.random(random) : space.mutate(bestKnobs, random);
            } else {
                if (!bestKnobs.equals(descentFrom)) {
                    descentFrom = bestKnobs;
                    descent.clear();
                    descent.addAll(space.neighbours(bestKnobs));
                }
                k = descent.isEmpty() ? space.mutate(bestKnobs, random) : descent.poll();
            }
            if (!seen.add(k)) {
                continue;
            }
            ObjectNode doc = ConfigWriter.autoscaler(start.autoscaler(), k);
            Manifests m = new Manifests(start.kind(), new ConfigNode(doc, "(recommended)", ""), start.target(),
                    start.deployment(), rules, "recommended");
            if (!lintClean(m)) {
                continue;
            }
            SimulationResult r = run(Scenario.of("recommended", m, fleet, rules));
            runs++;
            double score = score(r);
            if (score < bestScore) {
                bestScore = score;
                best = r;
                bestKnobs = k;
                bestYaml = ConfigWriter.yaml(doc);
            }
            if (runs % 10 == 0) {
                progress.accept(String.format(java.util.Locale.ROOT, "recommend: %d/%d runs, best %.2f GPU-hours%s",
                        runs, budget, best.summary().nodeGpuHours(),
                        slo.misses(best.summary()).isEmpty() ? " (meets the SLO)" : " (misses the SLO)"));
            }
        }
        if (best == null) {
            throw new IllegalStateException("no candidate passed lint within " + draws + " draws");
        }
        return new Recommendation(startRun, best, bestYaml, bestKnobs, runs, slo.misses(startRun.summary()),
                slo.misses(best.summary()));
    }

    private double score(SimulationResult r) {
        double v = slo.violation(r.summary());
        return (v > 0 ? 1e6 * (1 + v) : 0) + r.summary().nodeGpuHours();
    }

    private boolean lintClean(Manifests m) {
        List<Finding> findings = Linter.lint(LintTarget.of(m, fleet, fleetFile, rules));
        return findings.stream().noneMatch(f -> f.file().equals("(recommended)"));
    }

    private SimulationResult run(Scenario s) {
        return new Simulation(s, workload.get(), options).run();
    }

    /** The starting point: the start's replicas and behavior, on the first metric the search knows. */
    private static Knobs initial(LintTarget t, SearchSpace space) {
        HpaBehavior b = t.behavior();
        HpaBehavior.Rules up = b.scaleUp();
        HpaBehavior.Rules down = b.scaleDown();
        int upPods = 4;
        int upPercent = 100;
        int upPeriod = 15;
        for (HpaBehavior.Policy p : up.policies()) {
            if (p.type() == HpaBehavior.PolicyType.PODS) {
                upPods = p.value();
            } else {
                upPercent = p.value();
            }
            upPeriod = p.periodSeconds();
        }
        int downPercent = 100;
        int downPeriod = 15;
        for (HpaBehavior.Policy p : down.policies()) {
            if (p.type() == HpaBehavior.PolicyType.PERCENT) {
                downPercent = p.value();
                downPeriod = p.periodSeconds();
            }
        }
        int min = Math.max(1, t.hpa().minReplicas());
        return new Knobs(space.metrics().get(0), 10, min, up.stabilizationWindowSeconds(), upPods, upPercent, upPeriod,
                down.stabilizationWindowSeconds(), downPercent, downPeriod,
                t.keda() != null ? (int) t.keda().pollingIntervalSeconds() : 15,
                t.keda() != null ? (int) t.keda().cooldownPeriodSeconds() : 300, t.hpa().maxReplicas());
    }
}
