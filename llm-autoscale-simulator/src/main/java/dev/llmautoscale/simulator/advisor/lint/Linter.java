package dev.llmautoscale.simulator.advisor.lint;

import dev.llmautoscale.simulator.config.AdapterRules;
import dev.llmautoscale.simulator.config.ConfigException;
import dev.llmautoscale.simulator.config.ConfigNode;
import dev.llmautoscale.simulator.config.FleetConfig;
import dev.llmautoscale.simulator.config.FleetFile;
import dev.llmautoscale.simulator.config.Manifests;
import dev.llmautoscale.simulator.sim.Scenario;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Lints autoscaler configurations: every autoscaler in the files (or the one for a target), each with its
 * Deployment, the fleet and the adapter rules, through every {@link LintRule}. Input that {@code run} would refuse
 * throws the same {@link dev.llmautoscale.simulator.config.ConfigException}.
 */
public final class Linter {

    private Linter() {
    }

    /**
     * @param files    the Kubernetes YAML files
     * @param target   the Deployment whose autoscaler to lint, or null for every autoscaler in the files
     * @param fleet    the fleet file's root (absent: defaults)
     * @param fallback adapter rules when the files hold none (null: the bundled deploy/hpa rules)
     * @return the findings, in file order
     */
    public static List<Finding> lint(List<Path> files, String target, ConfigNode fleet, AdapterRules fallback) {
        Set<Finding> out = new LinkedHashSet<>();
        List<ConfigNode> autoscalers = autoscalers(files);
        for (String t : target != null ? List.of(target) : targets(autoscalers, files)) {
            Manifests selected = Manifests.load(files, t);
            // Every autoscaler of the target, not only the one run would pick (an HPA and a ScaledObject for one
            // Deployment are linted each on its own).
            for (ConfigNode doc : autoscalers) {
                if (!t.equals(doc.get("spec").get("scaleTargetRef").string("name", ""))) {
                    continue;
                }
                Manifests m = new Manifests(doc.string("kind", ""), doc, t, selected.deployment(),
                        selected.adapterRules(), doc.get("metadata").string("name", t));
                out.addAll(lintOne(m, fleet, fallback));
            }
        }
        return List.copyOf(out);
    }

    private static List<Finding> lintOne(Manifests m, ConfigNode fleet, AdapterRules fallback) {
        FleetConfig f = FleetFile.parse(fleet, m.deployment());
        ConfigException refused = null;
        try {
            Scenario.of(null, m, f, fallback); // what run refuses, lint refuses too ...
        } catch (ConfigException e) {
            if (!e.field().endsWith(".metric.name")) {
                throw e;
            }
            refused = e;
        }
        List<Finding> found = lint(LintTarget.of(m, f, fleet.file(), fallback));
        ConfigException e = refused;
        // ... unless a finding names the problem (an HPA metric that no adapter rule serves).
        if (e != null && found.stream().noneMatch(x -> x.file().equals(e.file()) && x.field().equals(e.field()))) {
            throw e;
        }
        return found;
    }

    /**
     * @param target one autoscaler
     * @return its findings
     */
    public static List<Finding> lint(LintTarget target) {
        List<Finding> out = new ArrayList<>();
        MetricRules.check(target, out);
        ScalingRules.check(target, out);
        PodRules.check(target, out);
        String autoscaler = target.manifests().kind() + "/" + target.manifests().autoscaler().get("metadata")
                .string("name", "");
        String deployment = "Deployment/" + target.deployment().name();
        List<Finding> named = new ArrayList<>();
        for (Finding f : out) {
            String object = f.file().equals(target.file()) ? autoscaler
                    : f.file().equals(target.deployment().file()) ? deployment : "";
            named.add(new Finding(f.rule(), f.file(), object, f.field(), f.problem(), f.fix()));
        }
        return named;
    }

    private static List<ConfigNode> autoscalers(List<Path> files) {
        List<ConfigNode> out = new ArrayList<>();
        for (Path f : files) {
            for (ConfigNode doc : Manifests.readDocuments(f)) {
                String kind = doc.raw().isObject() ? doc.string("kind", "") : "";
                if (kind.equals("HorizontalPodAutoscaler") || kind.equals("ScaledObject")) {
                    out.add(doc);
                }
            }
        }
        return out;
    }

    private static List<String> targets(List<ConfigNode> autoscalers, List<Path> files) {
        Set<String> names = new LinkedHashSet<>();
        for (ConfigNode doc : autoscalers) {
            ConfigNode ref = doc.get("spec").get("scaleTargetRef");
            if (!ref.has("name")) {
                names.add(null);
            } else {
                names.add(ref.get("name").text());
            }
        }
        if (names.isEmpty() || names.contains(null)) {
            // Manifests.load reports the missing autoscaler or target with the file and field.
            Manifests.load(files, null);
        }
        return List.copyOf(names);
    }
}
