package dev.llmautoscale.simulator.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmautoscale.simulator.advisor.lint.Finding;
import dev.llmautoscale.simulator.advisor.lint.Linter;
import dev.llmautoscale.simulator.config.AdapterRules;
import dev.llmautoscale.simulator.config.ConfigException;
import dev.llmautoscale.simulator.config.ConfigNode;
import dev.llmautoscale.simulator.config.Manifests;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lint}: the configurations that cannot work, before they are applied. */
@Command(name = "lint", mixinStandardHelpOptions = true,
        description = "Checks an HPA or KEDA ScaledObject (with its Deployment, the fleet file and the"
                + " prometheus-adapter rules) for configurations that fail in production: one finding per problem"
                + " with the rule, the file and field, what goes wrong and the fix. Exit 0: clean; 1: findings;"
                + " 2: unreadable input. Rules: docs/SIMULATOR.md, section \"lint rules\".")
final class LintCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--config"}, paramLabel = "FILE", required = true, description = "Kubernetes YAML"
            + " (multi-document), as for run. Repeatable.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--fleet", paramLabel = "FILE", description = "Fleet file (default: the example server's"
            + " settings).")
    Path fleet;

    @Option(names = "--target", paramLabel = "NAME", description = "Lint only the autoscaler of this Deployment"
            + " (default: every autoscaler in the files).")
    String target;

    @Option(names = "--adapter-rules", paramLabel = "FILE", description = "prometheus-adapter rules, as for run.")
    Path adapterRules;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default ${DEFAULT-VALUE}).")
    String format;

    @Override
    public Integer call() {
        if (!format.equals("text") && !format.equals("json")) {
            throw new ConfigException("(command line)", "--format", "'" + format + "'; allowed values: text, json");
        }
        SimulationOptions rules = new SimulationOptions();
        rules.adapterRules = adapterRules;
        AdapterRules fallback = rules.rules();
        ConfigNode fleetRoot = fleet == null ? new ConfigNode(null, "(defaults)", "") : Manifests.readSingle(fleet);
        List<Finding> findings = Linter.lint(files, target, fleetRoot, fallback);
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            out.println(json(findings));
        } else {
            for (Finding f : findings) {
                out.println(f.rule() + "  " + f.file() + (f.object().isEmpty() ? "" : " " + f.object()) + ": "
                        + f.field());
                out.println("  problem: " + f.problem());
                out.println("  fix:     " + f.fix());
            }
            out.println(findings.isEmpty() ? "lint: no findings" : "lint: " + findings.size() + " finding"
                    + (findings.size() == 1 ? "" : "s"));
        }
        out.flush();
        return findings.isEmpty() ? 0 : 1;
    }

    static String json(List<Finding> findings) {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("count", findings.size());
        ArrayNode list = root.putArray("findings");
        for (Finding f : findings) {
            list.addObject().put("rule", f.rule()).put("file", f.file()).put("object", f.object())
                    .put("field", f.field())
                    .put("problem", f.problem()).put("fix", f.fix());
        }
        try {
            return mapper.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
