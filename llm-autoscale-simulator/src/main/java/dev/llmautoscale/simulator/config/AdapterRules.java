package dev.llmautoscale.simulator.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.llmautoscale.simulator.promql.PromqlException;
import dev.llmautoscale.simulator.promql.PromqlParser;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * prometheus-adapter custom-metrics rules: which series serves an HPA Pods metric, and the PromQL the adapter runs
 * for it ({@code metricsQuery} with {@code <<.Series>>}, {@code <<.LabelMatchers>>} and {@code <<.GroupBy>>}).
 * Without rules in the given files the simulator uses {@code deploy/hpa/prometheus-adapter-rules.yaml}, bundled.
 *
 * @param source where the rules came from
 * @param rules  the rules, in file order
 */
public record AdapterRules(String source, List<Rule> rules) {

    private static final Pattern SERIES_NAME = Pattern.compile("^\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)");

    /**
     * One rule.
     *
     * @param series        the series name in seriesQuery
     * @param metricName    the name the HPA asks for (name.as, applied to the series name)
     * @param metricsQuery  the query template
     * @param podLabel      the label that names the pod (resources.overrides for resource pod)
     * @param namespaceLabel the label that names the namespace
     * @param field         where the rule is, for messages
     */
    public record Rule(String series, String metricName, String metricsQuery, String podLabel, String namespaceLabel,
                       String field) {

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
     * @param config the adapter's configuration (with {@code rules})
     * @param source where it came from
     * @return the rules
     */
    public static AdapterRules parse(ConfigNode config, String source) {
        List<Rule> out = new ArrayList<>();
        for (ConfigNode r : config.get("rules").list()) {
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
            ConfigNode overrides = r.get("resources").get("overrides");
            if (!overrides.isAbsent()) {
                for (var e : overrides.raw().properties()) {
                    String res = e.getValue().path("resource").asText("");
                    if (res.equals("pod") || res.equals("pods")) {
                        pod = e.getKey();
                    } else if (res.equals("namespace") || res.equals("namespaces")) {
                        ns = e.getKey();
                    }
                }
            }
            String query = r.get("metricsQuery").text();
            Rule rule = new Rule(series, metricName, query, pod, ns, r.pathOf("metricsQuery"));
            try {
                PromqlParser.parse(rule.query("ns", List.of("p")));
            } catch (PromqlException e) {
                throw r.get("metricsQuery").fail(e.getMessage());
            }
            out.add(rule);
        }
        return new AdapterRules(source, List.copyOf(out));
    }
}
