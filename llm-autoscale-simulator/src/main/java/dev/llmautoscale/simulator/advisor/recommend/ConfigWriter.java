package dev.llmautoscale.simulator.advisor.recommend;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.llmautoscale.simulator.config.ConfigNode;

/** Writes a point of the search as the autoscaler users apply: an HPA or a ScaledObject, ready for kubectl. */
final class ConfigWriter {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

    private ConfigWriter() {
    }

    /**
     * @param start the starting autoscaler (its kind, metadata, target and KEDA server address are kept)
     * @param k     the knobs
     * @return the autoscaler document
     */
    static ObjectNode autoscaler(ConfigNode start, Knobs k) {
        boolean keda = start.string("kind", "").equals("ScaledObject");
        JsonNode startSpec = start.raw().path("spec");
        ObjectNode doc = F.objectNode();
        doc.put("apiVersion", keda ? "keda.sh/v1alpha1" : "autoscaling/v2");
        doc.put("kind", keda ? "ScaledObject" : "HorizontalPodAutoscaler");
        ObjectNode meta = doc.putObject("metadata");
        meta.put("name", start.raw().path("metadata").path("name").asText("llm-inference"));
        String ns = start.raw().path("metadata").path("namespace").asText("");
        if (!ns.isEmpty()) {
            meta.put("namespace", ns);
        }
        ObjectNode spec = doc.putObject("spec");
        spec.set("scaleTargetRef", startSpec.path("scaleTargetRef").deepCopy());
        ObjectNode behavior;
        if (keda) {
            spec.put("pollingInterval", k.pollingInterval());
            spec.put("cooldownPeriod", k.cooldownPeriod());
            spec.put("minReplicaCount", k.minReplicas());
            spec.put("maxReplicaCount", k.maxReplicas());
            behavior = spec.putObject("advanced").putObject("horizontalPodAutoscalerConfig").putObject("behavior");
        } else {
            spec.put("minReplicas", k.minReplicas());
            spec.put("maxReplicas", k.maxReplicas());
            behavior = F.objectNode();
        }
        ObjectNode up = behavior.putObject("scaleUp");
        up.put("stabilizationWindowSeconds", k.upWindow());
        up.put("selectPolicy", "Max");
        ArrayNode upPolicies = up.putArray("policies");
        upPolicies.addObject().put("type", "Pods").put("value", k.upPods()).put("periodSeconds", k.upPeriod());
        upPolicies.addObject().put("type", "Percent").put("value", k.upPercent()).put("periodSeconds", k.upPeriod());
        ObjectNode down = behavior.putObject("scaleDown");
        down.put("stabilizationWindowSeconds", k.downWindow());
        down.putArray("policies").addObject().put("type", "Percent").put("value", k.downPercent())
                .put("periodSeconds", k.downPeriod());
        if (keda) {
            ObjectNode trigger = spec.putArray("triggers").addObject();
            trigger.put("type", "prometheus");
            trigger.put("name", k.metric());
            ObjectNode md = trigger.putObject("metadata");
            md.put("serverAddress", serverAddress(startSpec));
            md.put("threshold", ConfigNodes.number(k.target()));
            md.put("query", "sum(" + SearchSpace.series(k.metric()) + (ns.isEmpty() ? "" : "{namespace=\"" + ns
                    + "\"}") + ")");
        } else {
            ObjectNode pods = spec.putArray("metrics").addObject().put("type", "Pods").putObject("pods");
            pods.putObject("metric").put("name", k.metric());
            pods.putObject("target").put("type", "AverageValue").put("averageValue", ConfigNodes.number(k.target()));
            spec.set("behavior", behavior);
        }
        return doc;
    }

    private static String serverAddress(JsonNode spec) {
        for (JsonNode t : spec.path("triggers")) {
            if (t.path("type").asText().equals("prometheus") && t.path("metadata").has("serverAddress")) {
                return t.path("metadata").path("serverAddress").asText();
            }
        }
        return "http://prometheus-operated.monitoring.svc:9090";
    }

    /**
     * @param doc an autoscaler document
     * @return it as YAML
     */
    static String yaml(JsonNode doc) {
        try {
            return YAML.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Number formatting for quantities. */
    static final class ConfigNodes {
        private ConfigNodes() {
        }

        static String number(double v) {
            return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
        }
    }
}
