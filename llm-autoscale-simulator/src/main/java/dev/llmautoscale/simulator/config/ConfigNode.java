package dev.llmautoscale.simulator.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * A YAML/JSON node that knows where it came from (file and dotted field path), so that every bad value becomes a
 * {@link ConfigException} naming the file, the field and what is allowed.
 */
public final class ConfigNode {

    private final JsonNode node;
    private final String file;
    private final String path;

    /**
     * @param node the parsed node (may be a {@link MissingNode})
     * @param file the file as the user named it
     * @param path the dotted path of this node ("" for the document root)
     */
    public ConfigNode(JsonNode node, String file, String path) {
        this.node = node == null ? MissingNode.getInstance() : node;
        this.file = file;
        this.path = path;
    }

    /** @return the wrapped node */
    public JsonNode raw() {
        return node;
    }

    /** @return the file name */
    public String file() {
        return file;
    }

    /** @return the dotted path */
    public String path() {
        return path;
    }

    /** @return whether the node is absent or YAML null */
    public boolean isAbsent() {
        return node.isMissingNode() || node.isNull();
    }

    /**
     * @param name a field
     * @return the field's path below this node
     */
    public String pathOf(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /**
     * @param name a field name
     * @return the child (absent when missing)
     */
    public ConfigNode get(String name) {
        return new ConfigNode(node.path(name), file, pathOf(name));
    }

    /**
     * @param name a field
     * @return whether it is present and not null
     */
    public boolean has(String name) {
        JsonNode c = node.get(name);
        return c != null && !c.isNull();
    }

    /**
     * @param message what is wrong and what is allowed
     * @return an exception naming this node
     */
    public ConfigException fail(String message) {
        return new ConfigException(file, path.isEmpty() ? "(document)" : path, message);
    }

    /**
     * Rejects fields that are not in {@code allowed} (typos must not be silently ignored).
     *
     * @param allowed the known field names
     * @return this
     */
    public ConfigNode requireKnown(Set<String> allowed) {
        if (isAbsent()) {
            return this;
        }
        requireObject();
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!allowed.contains(n)) {
                throw new ConfigException(file, pathOf(n), "unknown field; allowed here: "
                        + String.join(", ", new TreeSet<>(allowed)));
            }
        }
        return this;
    }

    /** @return this, after checking it is a mapping */
    public ConfigNode requireObject() {
        if (!node.isObject()) {
            throw fail("expected a mapping (key: value), got " + describe(node));
        }
        return this;
    }

    /** @return the elements of a list (empty when absent) */
    public List<ConfigNode> list() {
        List<ConfigNode> out = new ArrayList<>();
        if (isAbsent()) {
            return out;
        }
        if (!node.isArray()) {
            throw fail("expected a list, got " + describe(node));
        }
        for (int i = 0; i < node.size(); i++) {
            out.add(new ConfigNode(node.get(i), file, path + "[" + i + "]"));
        }
        return out;
    }

    /** @return the text of a scalar; a ConfigException when it is not one */
    public String text() {
        if (!node.isValueNode() || node.isNull()) {
            throw fail("expected a value, got " + describe(node));
        }
        return node.asText();
    }

    /**
     * @param name    a field
     * @param def     the default when absent
     * @param allowed the allowed values (exact match)
     * @return the value
     */
    public String string(String name, String def, String... allowed) {
        ConfigNode c = get(name);
        if (c.isAbsent()) {
            return def;
        }
        String v = c.text();
        if (allowed.length == 0) {
            return v;
        }
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw c.fail("'" + v + "' is not allowed; allowed values: " + String.join(", ", allowed));
    }

    /**
     * @param name a field
     * @param def  the default when absent
     * @param min  the smallest allowed value
     * @param max  the largest allowed value
     * @return the number
     */
    public double number(String name, double def, double min, double max) {
        ConfigNode c = get(name);
        return c.isAbsent() ? def : c.asNumber(min, max);
    }

    /**
     * @param min the smallest allowed value
     * @param max the largest allowed value
     * @return this scalar as a number (a Kubernetes quantity string such as "500m" or "24Gi" is accepted)
     */
    public double asNumber(double min, double max) {
        double v;
        if (node.isNumber()) {
            v = node.asDouble();
        } else if (node.isTextual()) {
            try {
                v = Quantities.parse(node.asText());
            } catch (IllegalArgumentException e) {
                throw fail("'" + node.asText() + "' is not a number (" + e.getMessage() + "); allowed: a number "
                        + range(min, max));
            }
        } else {
            throw fail("expected a number " + range(min, max) + ", got " + describe(node));
        }
        if (!(v >= min && v <= max) || Double.isNaN(v)) {
            throw fail(fmt(v) + " is out of range; allowed: a number " + range(min, max));
        }
        return v;
    }

    /**
     * @param name a field
     * @param def  the default when absent
     * @param min  the smallest allowed value
     * @param max  the largest allowed value
     * @return the integer
     */
    public int integer(String name, int def, int min, int max) {
        ConfigNode c = get(name);
        if (c.isAbsent()) {
            return def;
        }
        double v = c.asNumber(min, max);
        if (v != Math.rint(v)) {
            throw c.fail(fmt(v) + " is not an integer; allowed: an integer " + range(min, max));
        }
        return (int) v;
    }

    /**
     * @param name a field
     * @param def  the default when absent
     * @return the boolean
     */
    public boolean bool(String name, boolean def) {
        ConfigNode c = get(name);
        if (c.isAbsent()) {
            return def;
        }
        if (c.node.isBoolean()) {
            return c.node.asBoolean();
        }
        String t = c.text().toLowerCase(Locale.ROOT);
        if (t.equals("true") || t.equals("false")) {
            return Boolean.parseBoolean(t);
        }
        throw c.fail("'" + t + "' is not allowed; allowed values: true, false");
    }

    private static String range(double min, double max) {
        if (max == Double.MAX_VALUE || max == Integer.MAX_VALUE) {
            return ">= " + fmt(min);
        }
        return "between " + fmt(min) + " and " + fmt(max);
    }

    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static String describe(JsonNode n) {
        if (n.isMissingNode() || n.isNull()) {
            return "nothing";
        }
        if (n.isObject()) {
            return "a mapping";
        }
        if (n.isArray()) {
            return "a list";
        }
        return "'" + n.asText() + "'";
    }
}
