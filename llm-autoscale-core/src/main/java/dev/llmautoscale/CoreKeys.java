package dev.llmautoscale;

import dev.llmautoscale.admission.AdmissionKeys;
import dev.llmautoscale.gpu.GpuKeys;
import dev.llmautoscale.lifecycle.LifecycleKeys;
import dev.llmautoscale.metrics.MetricsKeys;
import dev.llmautoscale.settings.Setting;
import java.util.ArrayList;
import java.util.List;

/**
 * The core's settings: the master switch, then admission, metrics, GPU and lifecycle ({@code docs/CONFIGURATION.md}
 * lists them with the servlet module's and the Spring Boot starter's).
 */
public final class CoreKeys {

    /** The master switch of every integration. */
    public static final Setting<Boolean> ENABLED = Setting.bool(Setting.PREFIX + "enabled", true,
            "Whether llm-autoscale is installed at all; false backs the Spring Boot starter and the servlet "
                    + "module's automatic registration off.");

    /** Every core setting. */
    public static final List<Setting<?>> ALL = all();

    private CoreKeys() {
    }

    private static List<Setting<?>> all() {
        List<Setting<?>> out = new ArrayList<>();
        out.add(ENABLED);
        out.addAll(AdmissionKeys.ALL);
        out.addAll(MetricsKeys.ALL);
        out.addAll(GpuKeys.ALL);
        out.addAll(LifecycleKeys.ALL);
        return List.copyOf(out);
    }
}
