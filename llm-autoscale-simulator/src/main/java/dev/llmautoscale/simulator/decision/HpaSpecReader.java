package dev.llmautoscale.simulator.decision;

import dev.llmautoscale.simulator.decision.HpaBehavior.Policy;
import dev.llmautoscale.simulator.decision.HpaBehavior.PolicyType;
import dev.llmautoscale.simulator.decision.HpaBehavior.Rules;
import dev.llmautoscale.simulator.decision.HpaBehavior.SelectPolicy;
import dev.llmautoscale.simulator.decision.ReplicaCalculator.Metric;
import dev.llmautoscale.simulator.decision.ReplicaCalculator.SourceType;
import dev.llmautoscale.simulator.decision.ReplicaCalculator.TargetType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the parts of an {@code autoscaling/v2} HorizontalPodAutoscaler spec that the decisions use ({@code metrics},
 * {@code behavior}) with the API server's defaults and its validation: what the API server would reject is a
 * {@link dev.llmautoscale.simulator.config.ConfigException} naming the file and field.
 */
public final class HpaSpecReader {

    private static final String[] SELECT_POLICIES = {"Max", "Min", "Disabled"};
    private static final String[] POLICY_TYPES = {"Pods", "Percent"};
    private static final String[] METRIC_TYPES = {"Resource", "Pods", "Object", "External"};
    private static final String[] TARGET_TYPES = {"Utilization", "Value", "AverageValue"};

    private HpaSpecReader() {
    }

    /**
     * One parsed spec.metrics entry: the calculation's view and the selector.
     *
     * @param metric   what the replica calculation uses
     * @param selector metric.selector.matchLabels (empty when absent)
     */
    public record ParsedMetric(Metric metric, Map<String, String> selector) {
    }

    /**
     * {@code spec.behavior} with the defaults of {@code GenerateHPAScaleUpRules} / {@code GenerateHPAScaleDownRules}
     * for every missing direction and field.
     *
     * @param behavior the behavior object, or null for {@code behavior} absent (then both directions default)
     * @return the filled behavior
     */
    public static HpaBehavior behavior(JsonFields behavior) {
        if (behavior == null) {
            return HpaBehavior.DEFAULT;
        }
        behavior.allowOnly("scaleUp", "scaleDown");
        return new HpaBehavior(rules(behavior.optionalObject("scaleUp"), HpaBehavior.DEFAULT_SCALE_UP),
                rules(behavior.optionalObject("scaleDown"), HpaBehavior.DEFAULT_SCALE_DOWN));
    }

    private static Rules rules(JsonFields r, Rules defaults) {
        if (r == null) {
            return defaults;
        }
        r.allowOnly("stabilizationWindowSeconds", "selectPolicy", "policies", "tolerance");
        int window = r.optionalInt("stabilizationWindowSeconds", defaults.stabilizationWindowSeconds(), 0, 3600);
        String select = r.string("selectPolicy", defaults.selectPolicy().apiName(), SELECT_POLICIES);
        List<Policy> policies = defaults.policies();
        if (r.has("policies")) {
            List<JsonFields> items = r.objects("policies", true);
            if (items.isEmpty()) {
                throw r.error("policies", "must list at least one policy (or be left out for the defaults)");
            }
            policies = new ArrayList<>();
            for (JsonFields p : items) {
                p.allowOnly("type", "value", "periodSeconds");
                String type = p.requiredString("type", POLICY_TYPES);
                int value = p.requiredInt("value", 1, Integer.MAX_VALUE);
                int period = p.requiredInt("periodSeconds", 1, 1800);
                policies.add(new Policy(type.equals("Pods") ? PolicyType.PODS : PolicyType.PERCENT, value, period));
            }
        }
        Double tolerance = defaults.tolerance();
        if (r.has("tolerance")) {
            long milli = r.quantityMilli("tolerance");
            if (milli < 0) {
                throw r.error("tolerance", "must be >= 0");
            }
            tolerance = milli / 1000.0;
        }
        SelectPolicy sp = switch (select) {
            case "Min" -> SelectPolicy.MIN;
            case "Disabled" -> SelectPolicy.DISABLED;
            default -> SelectPolicy.MAX;
        };
        return new Rules(window, sp, policies, tolerance);
    }

    /**
     * {@code spec.metrics}: non-empty, each entry valid for its type.
     *
     * @param owner the object holding {@code metrics}
     * @return the parsed metrics, in order
     */
    public static List<ParsedMetric> metrics(JsonFields owner) {
        List<JsonFields> items = owner.objects("metrics", true);
        if (items.isEmpty()) {
            throw owner.error("metrics", "must list at least one metric (types: Resource, Pods, Object, External)");
        }
        List<ParsedMetric> out = new ArrayList<>();
        for (JsonFields m : items) {
            out.add(metric(m));
        }
        return out;
    }

    /**
     * One spec.metrics entry.
     *
     * @param m the entry
     * @return the parsed metric
     */
    public static ParsedMetric metric(JsonFields m) {
        if (!m.has("type")) {
            throw m.error("type", "is required; allowed: " + String.join(", ", METRIC_TYPES));
        }
        String type = m.string("type", null);
        if ("ContainerResource".equals(type)) {
            throw m.error("type", "ContainerResource is valid in Kubernetes but not modelled here (requests are"
                    + " per pod); allowed: " + String.join(", ", METRIC_TYPES));
        }
        type = m.requiredString("type", METRIC_TYPES);
        m.allowOnly("type", "resource", "pods", "object", "external");
        return switch (type) {
            case "Resource" -> resource(m.requiredObject("resource"));
            case "Pods" -> pods(m.requiredObject("pods"));
            case "Object" -> object(m.requiredObject("object"));
            default -> external(m.requiredObject("external"));
        };
    }

    private static ParsedMetric resource(JsonFields r) {
        r.allowOnly("name", "target");
        String name = r.requiredString("name");
        JsonFields t = target(r);
        Metric metric;
        if (t.has("averageValue")) {
            metric = new Metric(SourceType.RESOURCE, name, TargetType.AVERAGE_VALUE, positive(t, "averageValue"));
        } else if (t.has("averageUtilization")) {
            metric = new Metric(SourceType.RESOURCE, name, TargetType.UTILIZATION,
                    t.requiredInt("averageUtilization", 1, Integer.MAX_VALUE));
        } else {
            throw t.error(null, "a Resource target needs averageValue (a quantity) or averageUtilization (an integer"
                    + " percent > 0)");
        }
        return new ParsedMetric(metric, Map.of());
    }

    private static ParsedMetric pods(JsonFields p) {
        p.allowOnly("metric", "target");
        MetricId id = metricId(p);
        JsonFields t = target(p);
        if (!t.has("averageValue")) {
            throw t.error("averageValue", "is required for a Pods metric (" + Quantity.ALLOWED + ")");
        }
        return new ParsedMetric(new Metric(SourceType.PODS, id.name, TargetType.AVERAGE_VALUE,
                positive(t, "averageValue")), id.selector);
    }

    private static ParsedMetric object(JsonFields o) {
        o.allowOnly("metric", "describedObject", "target");
        MetricId id = metricId(o);
        JsonFields t = target(o);
        String type = t.string("type", null, TARGET_TYPES);
        Metric metric;
        if ("Value".equals(type) && t.has("value")) {
            metric = new Metric(SourceType.OBJECT, id.name, TargetType.VALUE, positive(t, "value"));
        } else if ("AverageValue".equals(type) && t.has("averageValue")) {
            metric = new Metric(SourceType.OBJECT, id.name, TargetType.AVERAGE_VALUE, positive(t, "averageValue"));
        } else {
            throw t.error(type == null ? "type" : null, "an Object target needs type: Value with value, or type:"
                    + " AverageValue with averageValue");
        }
        return new ParsedMetric(metric, id.selector);
    }

    private static ParsedMetric external(JsonFields e) {
        e.allowOnly("metric", "target");
        MetricId id = metricId(e);
        JsonFields t = target(e);
        Metric metric;
        if (t.has("averageValue")) {
            metric = new Metric(SourceType.EXTERNAL, id.name, TargetType.AVERAGE_VALUE, positive(t, "averageValue"));
        } else if (t.has("value")) {
            metric = new Metric(SourceType.EXTERNAL, id.name, TargetType.VALUE, positive(t, "value"));
        } else {
            throw t.error(null, "an External target needs averageValue or value (" + Quantity.ALLOWED + ")");
        }
        return new ParsedMetric(metric, id.selector);
    }

    private static JsonFields target(JsonFields source) {
        JsonFields t = source.requiredObject("target");
        t.allowOnly("type", "value", "averageValue", "averageUtilization");
        t.string("type", null, TARGET_TYPES);
        return t;
    }

    private static long positive(JsonFields t, String field) {
        long milli = t.quantityMilli(field);
        if (milli <= 0) {
            throw t.error(field, "must be positive (" + Quantity.ALLOWED + ")");
        }
        return milli;
    }

    private record MetricId(String name, Map<String, String> selector) {
    }

    private static MetricId metricId(JsonFields source) {
        JsonFields id = source.requiredObject("metric");
        id.allowOnly("name", "selector");
        String name = id.requiredString("name");
        Map<String, String> selector = new LinkedHashMap<>();
        JsonFields sel = id.optionalObject("selector");
        if (sel != null) {
            sel.allowOnly("matchLabels", "matchExpressions");
            selector.putAll(sel.stringMap("matchLabels"));
        }
        return new MetricId(name, selector);
    }

    /**
     * A JSON number in base units as the controller's integer milli-units ({@code ceil(v × 1000)}, exact).
     *
     * @param owner the object holding the field
     * @param name  the field
     * @param value the number as written
     * @return milli-units
     */
    static long milli(JsonFields owner, String name, BigDecimal value) {
        try {
            return Quantity.milli(value);
        } catch (IllegalArgumentException ex) {
            throw owner.error(name, ex.getMessage());
        }
    }
}
