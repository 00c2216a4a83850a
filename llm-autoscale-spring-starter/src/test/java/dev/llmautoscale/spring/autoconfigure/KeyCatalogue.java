package dev.llmautoscale.spring.autoconfigure;

import dev.llmautoscale.CoreKeys;
import dev.llmautoscale.servlet.ServletKeys;
import dev.llmautoscale.settings.Durations;
import dev.llmautoscale.settings.Setting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every key of every module, in documentation order, and what the generated files derived from them must hold:
 * the table of {@code docs/CONFIGURATION.md} and the defaults of the starter's
 * {@code additional-spring-configuration-metadata.json}.
 */
final class KeyCatalogue {

    static final String BEGIN = "<!-- keys:begin (generated from the keys by ConfigurationDocsTest) -->";
    static final String END = "<!-- keys:end -->";

    private KeyCatalogue() {
    }

    static List<Setting<?>> all() {
        List<Setting<?>> all = new ArrayList<>(CoreKeys.ALL);
        all.addAll(ServletKeys.ALL);
        all.addAll(SpringKeys.ALL);
        return all;
    }

    static List<Setting<?>> spring() {
        return all().stream().filter(s -> s.scope() != Setting.Scope.SERVLET).toList();
    }

    static String table() {
        StringBuilder b = new StringBuilder(BEGIN).append('\n');
        b.append("| Key | Default | Allowed | Read by | Description |\n|---|---|---|---|---|\n");
        for (Setting<?> s : all()) {
            String key = s.type().equals("map") ? s.key() + "`, `" + s.key() + ".<model>" : s.key();
            b.append("| `").append(key).append("` | ")
                    .append(s.defaultText().isEmpty() ? "(none)"
                            : s.defaultValue() == null ? s.defaultText() : "`" + s.defaultText() + "`").append(" | ")
                    .append(escape(s.allowed())).append(" | ")
                    .append(switch (s.scope()) {
                        case ALL -> "servlet, Spring";
                        case SERVLET -> "servlet";
                        case SPRING -> "Spring";
                    }).append(" | ").append(escape(s.description())).append(" |\n");
        }
        return b.append(END).toString();
    }

    private static String escape(String text) {
        return text.replace("|", "\\|");
    }

    /** The JSON value Spring's metadata gives as the default of a key, or {@code null} when it has none. */
    static JsonNode metadataDefault(Setting<?> s) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        Object d = s.defaultValue();
        if (d == null || (d instanceof Map<?, ?> m && m.isEmpty())) {
            return null;
        }
        if (d instanceof Boolean v) {
            return f.booleanNode(v);
        }
        if (d instanceof Integer v) {
            return f.numberNode(v);
        }
        if (d instanceof Duration v) {
            return f.stringNode(Durations.format(v));
        }
        if (d instanceof String v) {
            return f.stringNode(v);
        }
        if (d instanceof List<?> list) {
            ArrayNode a = f.arrayNode();
            for (Object o : list) {
                if (o instanceof Double x) {
                    a.add(x);
                } else {
                    a.add(String.valueOf(o));
                }
            }
            return a;
        }
        throw new IllegalStateException("no metadata form for " + s + ": " + d.getClass());
    }

    /** The additional metadata file: the Actuator health switches, then every default the processor cannot see. */
    static String additionalMetadata(JsonNode current) {
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode root = json.createObjectNode();
        ArrayNode properties = root.putArray("properties");
        for (JsonNode p : current.get("properties")) {
            if (p.get("name").asString().startsWith("management.")) {
                properties.add(p);
            }
        }
        for (Setting<?> s : spring()) {
            JsonNode d = metadataDefault(s);
            if (d != null) {
                ObjectNode p = properties.addObject();
                p.put("name", s.key());
                p.set("defaultValue", d);
            }
        }
        return json.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    }
}
