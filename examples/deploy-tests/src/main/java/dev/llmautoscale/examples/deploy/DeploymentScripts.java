package dev.llmautoscale.examples.deploy;

import java.util.List;

/** Scripts embedded in the manifests, so that tests can run exactly what Kubernetes would run. */
public final class DeploymentScripts {

    private DeploymentScripts() {
    }

    /**
     * The preStop hook of the llm-inference Deployment: the script that {@code /bin/sh -c} runs.
     *
     * @return the script
     */
    public static String preStop() {
        for (Manifest m : Manifests.ofKind(Manifests.all(), "Deployment")) {
            if (m.name().equals("llm-inference")) {
                Object command = m.get("spec", "template", "spec", "containers", 0, "lifecycle", "preStop", "exec",
                        "command");
                if (command instanceof List<?> list && list.size() == 3 && "/bin/sh".equals(list.get(0))
                        && "-c".equals(list.get(1))) {
                    return String.valueOf(list.get(2));
                }
                throw new IllegalStateException("the llm-inference preStop hook is not [/bin/sh, -c, script]: "
                        + command);
            }
        }
        throw new IllegalStateException("deploy/ has no Deployment named llm-inference");
    }
}
