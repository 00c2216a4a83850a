package dev.llmautoscale.simulator.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.llmautoscale.simulator.promql.PromqlException;
import dev.llmautoscale.simulator.promql.PromqlParser;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * prometheus-adapter rules: which series serves an HPA Pods or Object metric ({@code rules}, the custom metrics
 * API) or External metric ({@code externalRules}, the external metrics API), and the PromQL the adapter runs for it
 * ({@code metricsQuery} with {@code <<.Series>>}, {@code <<.LabelMatchers>>} and {@code <<.GroupBy>>}).
 * Without rules in the given files the simulator uses {@code deploy/hpa/prometheus-adapter-rules.yaml}, bundled.
 *
 * @param source        where the rules came from
 * @param rules         the custom-metrics rules, in file order
 * @param externalRules the external-metrics rules, in file order
 */
public record AdapterRules(String source, List<Rule> rules, List<Rule> externalRules) {

    /**
     * Rules without external rules.
     *
     * @param source where the rules came from
     * @param rules  the custom-metrics rules, in file order
     */
    public AdapterRules(String source, List<Rule> rules) {
        this(source, rules, List.of());
    }

    private static final Pattern SERIES_NAME = Pattern.compile("^\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");

    /**
     * One rule.
     *
     * @param series        the series name in seriesQuery
     * @param metricName    the name the HPA asks for (name.as, applied to the series name)
     * @param metricsQuery  the query template
     * @param podLabel      the label that names the pod (resources.overrides for resource pod)
     * @param namespaceLabel the label that names the namespace ("" for an external rule with
     *                      {@code resources.namespaced: false})
     * @param field         where the rule is, for messages
     * @param resourceLabels every resources.overrides entry: the Kubernetes resource (lower case, singular, without
     *                      group) to the label that names it
     */
    public record Rule(String series, String metricName, String metricsQuery, String podLabel, String namespaceLabel,
                       String field, Map<String, String> resourceLabels) {

        /**
         * @param resource a resource name as the HPA's describedObject gives its kind (Service, Deployment, ...)
         * @return the label that names such objects, or null when the rule has none for it
         */
        public String labelFor(String resource) {
            return resourceLabels.get(singular(resource));
        }

        /**
         * The adapter's query for one object of a namespace (an HPA Object metric): the label matchers select the
         * namespace and the object, and the query groups by the object's label.
         *
         * @param namespace the namespace
         * @param resource  the describedObject's kind
         * @param name      the describedObject's name
         * @return the PromQL, or null when the rule does not serve that resource
         */
        public String objectQuery(String namespace, String resource, String name) {
            String label = labelFor(resource);
            if (label == null) {
                return null;
            }
            String m = namespaceLabel + "=\"" + namespace + "\"," + label + "=\"" + name + "\"";
            return metricsQuery.replace("<<.Series>>", series).replace("<<.LabelMatchers>>", m)
                    .replace("<<.GroupBy>>", label);
        }

        /**
         * The adapter's query for an HPA External metric: the label matchers are the namespace (unless the rule is
         * not namespaced) and the metric's {@code selector.matchLabels}; it groups by the namespace label, or by
         * nothing for a rule that is not namespaced.
         *
         * @param namespace the HPA's namespace
         * @param selector  the metric's matchLabels
         * @return the PromQL
         */
        public String externalQuery(String namespace, Map<String, String> selector) {
            StringBuilder m = new StringBuilder();
            if (!namespaceLabel.isEmpty()) {
                m.append(namespaceLabel).append("=\"").append(namespace).append('"');
            }
            for (Map.Entry<String, String> e : selector.entrySet()) {
                if (m.length() > 0) {
                    m.append(',');
                }
                m.append(e.getKey()).append("=\"").append(e.getValue()).append('"');
            }
            return metricsQuery.replace("<<.Series>>", series).replace("<<.LabelMatchers>>", m)
                    .replace("<<.GroupBy>>", namespaceLabel);
        }

        /**
         * The adapter's query for some pods of a namespace.
         *
         * @param namespace the namespace
         * @param pods      the pod names
         * @return the PromQL
         */
        public String query(String namespace, List<String> pods) {
            StringBuilder m = new StringBuilder();
            m.append(namespaceLabel).append("=\"").append(namespace).append("\",").append(podLabel).append("=~\"");
            for (int i = 0; i < pods.size(); i++) {
                if (i > 0) {
                    m.append('|');
                }
                m.append(pods.get(i));
            }
            m.append('"');
            return metricsQuery.replace("<<.Series>>", series).replace("<<.LabelMatchers>>", m)
                    .replace("<<.GroupBy>>", podLabel);
        }
    }

    /**
     * @param metric an HPA Pods metric name
     * @return the rule serving it, or null
     */
    public Rule forMetric(String metric) {
        for (Rule r : rules) {
            if (r.metricName().equals(metric)) {
                return r;
            }
        }
        return null;
    }

    /**
     * @param metric   an HPA Object metric name
     * @param resource the describedObject's kind
     * @return the custom-metrics rule serving that metric for that resource, or null
     */
    public Rule forObject(String metric, String resource) {
        for (Rule r : rules) {
            if (r.metricName().equals(metric) && r.labelFor(resource) != null) {
                return r;
            }
        }
        return null;
    }

    /**
     * @param metric an HPA External metric name
     * @return the external rule serving it, or null
     */
    public Rule forExternal(String metric) {
        for (Rule r : externalRules) {
            if (r.metricName().equals(metric)) {
                return r;
            }
        }
        return null;
    }

    /** @return the rules of deploy/hpa, bundled in the jar */
    public static AdapterRules bundled() {
        String name = "default-adapter-rules.yaml";
        try (InputStream in = AdapterRules.class.getResourceAsStream("/dev/llmautoscale/simulator/" + name)) {
            JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(in);
            return fromConfigMap(new ConfigNode(doc, "(bundled deploy/hpa/prometheus-adapter-rules.yaml)", ""));
        } catch (IOException e) {
            throw new IllegalStateException("the bundled adapter rules cannot be read", e);
        }
    }

    /**
     * @param cm a ConfigMap
     * @return its rules (data.config.yaml, with a rules list), or null when it holds none
     */
    public static AdapterRules fromConfigMap(ConfigNode cm) {
        ConfigNode data = cm.get("data");
        if (data.isAbsent() || !data.raw().isObject()) {
            return null;
        }
        var names = data.raw().fieldNames();
        while (names.hasNext()) {
            String key = names.next();
            String text = data.raw().get(key).asText("");
            if (!text.contains("metricsQuery")) {
                continue;
            }
            JsonNode parsed;
            try {
                parsed = new ObjectMapper(new YAMLFactory()).readTree(text);
            } catch (IOException e) {
                throw data.get(key).fail("not valid YAML: " + e.getMessage());
            }
            return parse(new ConfigNode(parsed, cm.file(), "data." + key), cm.file());
        }
        return null;
    }

    /**
     * @param config the adapter's configuration (with {@code rules} and {@code externalRules})
     * @param source where it came from
     * @return the rules
     */
    public static AdapterRules parse(ConfigNode config, String source) {
        return new AdapterRules(source, parseRules(config.get("rules"), false),
                parseRules(config.get("externalRules"), true));
    }

    private static String singular(String resource) {
        String r = resource.toLowerCase(Locale.ROOT);
        int dot = r.indexOf('.');
        if (dot >= 0) {
            r = r.substring(0, dot);
        }
        return r.endsWith("s") ? r.substring(0, r.length() - 1) : r;
    }

    private static List<Rule> parseRules(ConfigNode list, boolean external) {
        List<Rule> out = new ArrayList<>();
        if (list.isAbsent()) {
            return out;
        }
        for (ConfigNode r : list.list()) {
            String seriesQuery = r.get("seriesQuery").text();
            Matcher m = SERIES_NAME.matcher(seriesQuery.replace("'", "").replace("\"", ""));
            if (!m.find()) {
                throw r.get("seriesQuery").fail("the simulator needs a series name first, such as"
                        + " llm_inference_queue_depth{namespace!=\"\"}");
            }
            String series = m.group(1);
            String matches = r.get("name").string("matches", "^" + Pattern.quote(series) + "$");
            String as = r.get("name").string("as", "");
            String metricName = as.isEmpty() ? series : Pattern.compile(matches).matcher(series).replaceAll(
                    as.replace("${", "$").replace("}", ""));
            String pod = "pod";
            String ns = "namespace";
            Map<String, String> labels = new LinkedHashMap<>();
            ConfigNode overrides = r.get("resources").get("overrides");
            if (!overrides.isAbsent()) {
                for (var e : overrides.raw().properties()) {
                    String res = singular(e.getValue().path("resource").asText(""));
                    labels.put(res, e.getKey());
                    if (res.equals("pod")) {
                        pod = e.getKey();
                    } else if (res.equals("namespace")) {
                        ns = e.getKey();
                    }
                }
            }
            ConfigNode namespaced = r.get("resources").get("namespaced");
            if (external && !namespaced.isAbsent()) {
                if (!namespaced.raw().isBoolean()) {
                    throw namespaced.fail("'" + namespaced.raw().asText() + "' is not a boolean; allowed: true, false");
                }
                if (!namespaced.raw().booleanValue()) {
                    ns = "";
                }
            }
            String query = r.get("metricsQuery").text();
            Rule rule = new Rule(series, metricName, query, pod, ns, r.pathOf("metricsQuery"), Map.copyOf(labels));
            try {
                PromqlParser.parse(external ? rule.externalQuery("ns", Map.of("l", "v"))
                        : rule.query("ns", List.of("p")));
            } catch (PromqlException e) {
                throw r.get("metricsQuery").fail(e.getMessage());
            }
            out.add(rule);
        }
        return List.copyOf(out);
    }
}
