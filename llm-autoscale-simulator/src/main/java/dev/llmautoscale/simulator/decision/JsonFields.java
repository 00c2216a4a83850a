package dev.llmautoscale.simulator.decision;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmautoscale.simulator.config.ConfigException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Strict reading of one JSON (or YAML) object of an input file: every error is a {@link ConfigException} that names
 * the file, the dotted field path ({@code [2].behavior.scaleUp.policies[0].type}) and what is allowed.
 */
public final class JsonFields {

    private final JsonNode node;
    private final String file;
    private final String path;

    private JsonFields(JsonNode node, String file, String path) {
        this.node = node;
        this.file = file;
        this.path = path;
    }

    /**
     * @param node the node, which must be an object
     * @param file the input file as the user named it ({@code -} for stdin)
     * @param path the node's path in the file ({@code ""} for the document itself)
     * @return the reader
     * @throws ConfigException when the node is not an object
     */
    public static JsonFields of(JsonNode node, String file, String path) {
        if (node == null || !node.isObject()) {
            throw new ConfigException(file, path.isEmpty() ? "(document)" : path,
                    "must be a JSON object, not " + describe(node));
        }
        return new JsonFields(node, file, path);
    }

    /** @return the underlying node */
    public JsonNode node() {
        return node;
    }

    /** @return the input file */
    public String file() {
        return file;
    }

    /** @return this object's path */
    public String path() {
        return path;
    }

    /**
     * @param name a field name
     * @return its full path
     */
    public String pathOf(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /**
     * @param name    the field
     * @param message what is wrong and what is allowed
     * @return the exception to throw
     */
    public ConfigException error(String name, String message) {
        return new ConfigException(file, name == null ? (path.isEmpty() ? "(document)" : path) : pathOf(name), message);
    }

    /**
     * Rejects fields this format does not know (a typo would otherwise silently take a default).
     *
     * @param allowed the known field names
     */
    public void allowOnly(String... allowed) {
        Set<String> known = new TreeSet<>(Arrays.asList(allowed));
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!known.contains(n)) {
                throw error(n, "unknown field; allowed fields here: " + String.join(", ", Arrays.asList(allowed)));
            }
        }
    }

    /**
     * @param name the field
     * @return whether it is present and not null
     */
    public boolean has(String name) {
        JsonNode v = node.get(name);
        return v != null && !v.isNull();
    }

    /**
     * @param name the field
     * @return the raw node, or null when absent or null
     */
    public JsonNode raw(String name) {
        JsonNode v = node.get(name);
        return v == null || v.isNull() ? null : v;
    }

    /**
     * @param name the field
     * @return the nested object
     * @throws ConfigException when it is absent or not an object
     */
    public JsonFields requiredObject(String name) {
        if (!has(name)) {
            throw error(name, "is required");
        }
        return of(node.get(name), file, pathOf(name));
    }

    /**
     * @param name the field
     * @return the nested object, or null when absent or null
     */
    public JsonFields optionalObject(String name) {
        return has(name) ? of(node.get(name), file, pathOf(name)) : null;
    }

    /**
     * @param name     the field
     * @param required whether it must be present
     * @return the array's elements, as raw nodes (empty when absent and not required)
     */
    public List<JsonNode> array(String name, boolean required) {
        if (!has(name)) {
            if (required) {
                throw error(name, "is required (a JSON array)");
            }
            return List.of();
        }
        JsonNode v = node.get(name);
        if (!v.isArray()) {
            throw error(name, "must be a JSON array, not " + describe(v));
        }
        List<JsonNode> out = new ArrayList<>();
        v.forEach(out::add);
        return out;
    }

    /**
     * @param name  the array field
     * @param index the element
     * @return the element's path
     */
    public String elementPath(String name, int index) {
        return pathOf(name) + "[" + index + "]";
    }

    /**
     * @param name     the array field
     * @param required whether it must be present
     * @return its elements as objects
     */
    public List<JsonFields> objects(String name, boolean required) {
        List<JsonNode> items = array(name, required);
        List<JsonFields> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(of(items.get(i), file, elementPath(name, i)));
        }
        return out;
    }

    /**
     * @param name the field
     * @param min  the smallest allowed value
     * @param max  the largest allowed value
     * @return the integer
     */
    public int requiredInt(String name, long min, long max) {
        if (!has(name)) {
            throw error(name, "is required (an integer " + range(min, max) + ")");
        }
        return toInt(name, node.get(name), min, max);
    }

    /**
     * @param name         the field
     * @param defaultValue when absent or null
     * @param min          the smallest allowed value
     * @param max          the largest allowed value
     * @return the integer
     */
    public int optionalInt(String name, int defaultValue, long min, long max) {
        return has(name) ? toInt(name, node.get(name), min, max) : defaultValue;
    }

    /**
     * @param name the field
     * @param min  the smallest allowed value
     * @param max  the largest allowed value
     * @return the integer, or null when absent or null
     */
    public Integer nullableInt(String name, long min, long max) {
        return has(name) ? toInt(name, node.get(name), min, max) : null;
    }

    private int toInt(String name, JsonNode v, long min, long max) {
        if (!v.isNumber()) {
            throw error(name, "must be an integer " + range(min, max) + ", not " + describe(v));
        }
        BigDecimal d = v.decimalValue();
        long value;
        try {
            value = d.stripTrailingZeros().scale() <= 0 ? d.longValueExact() : Long.MIN_VALUE;
        } catch (ArithmeticException ex) {
            value = Long.MIN_VALUE;
        }
        if (value == Long.MIN_VALUE) {
            throw error(name, "must be an integer " + range(min, max) + ", not " + v);
        }
        if (value < min || value > max) {
            throw error(name, "must be an integer " + range(min, max) + ", not " + value);
        }
        return (int) value;
    }

    private static String range(long min, long max) {
        if (max >= Integer.MAX_VALUE) {
            return ">= " + min;
        }
        return "from " + min + " to " + max;
    }

    /**
     * @param name the field
     * @return the number, exactly as written
     */
    public BigDecimal requiredDecimal(String name) {
        if (!has(name)) {
            throw error(name, "is required (a number)");
        }
        return toDecimal(name, node.get(name));
    }

    /**
     * @param name the field
     * @return the number, or null when absent or null
     */
    public BigDecimal optionalDecimal(String name) {
        return has(name) ? toDecimal(name, node.get(name)) : null;
    }

    private BigDecimal toDecimal(String name, JsonNode v) {
        if (!v.isNumber()) {
            throw error(name, "must be a number, not " + describe(v));
        }
        return v.decimalValue();
    }

    /**
     * @param name the field
     * @return the number
     */
    public double requiredNumber(String name) {
        return finite(name, requiredDecimal(name).doubleValue());
    }

    /**
     * @param name         the field
     * @param defaultValue when absent or null
     * @param min          the smallest allowed value
     * @return the number
     */
    public double optionalNumber(String name, double defaultValue, double min) {
        if (!has(name)) {
            return defaultValue;
        }
        double d = finite(name, toDecimal(name, node.get(name)).doubleValue());
        if (d < min) {
            throw error(name, "must be a number >= " + fmt(min) + ", not " + node.get(name));
        }
        return d;
    }

    /**
     * @param name the field
     * @return the number, or null when absent or null
     */
    public Double nullableNumber(String name) {
        return has(name) ? finite(name, toDecimal(name, node.get(name)).doubleValue()) : null;
    }

    private double finite(String name, double d) {
        if (!Double.isFinite(d)) {
            throw error(name, "must be a finite number");
        }
        return d;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /**
     * @param name         the field
     * @param defaultValue when absent or null
     * @return the boolean
     */
    public boolean bool(String name, boolean defaultValue) {
        if (!has(name)) {
            return defaultValue;
        }
        JsonNode v = node.get(name);
        if (!v.isBoolean()) {
            throw error(name, "must be true or false, not " + describe(v));
        }
        return v.booleanValue();
    }

    /**
     * @param name the field
     * @return the boolean, or null when absent or null
     */
    public Boolean nullableBool(String name) {
        return has(name) ? bool(name, false) : null;
    }

    /**
     * @param name         the field
     * @param defaultValue when absent or null (may be null)
     * @param allowed      the allowed values, or none for any string
     * @return the string
     */
    public String string(String name, String defaultValue, String... allowed) {
        if (!has(name)) {
            return defaultValue;
        }
        JsonNode v = node.get(name);
        if (!v.isTextual()) {
            throw error(name, "must be a string" + allowedText(allowed) + ", not " + describe(v));
        }
        String s = v.textValue();
        if (allowed.length > 0 && !Arrays.asList(allowed).contains(s)) {
            throw error(name, "\"" + s + "\" is not allowed" + allowedText(allowed));
        }
        return s;
    }

    /**
     * @param name    the field
     * @param allowed the allowed values, or none for any non-empty string
     * @return the string
     */
    public String requiredString(String name, String... allowed) {
        if (!has(name)) {
            throw error(name, "is required (a string" + allowedText(allowed) + ")");
        }
        String s = string(name, null, allowed);
        if (s.isEmpty()) {
            throw error(name, "must not be empty");
        }
        return s;
    }

    private static String allowedText(String... allowed) {
        return allowed.length == 0 ? "" : "; allowed: " + String.join(", ", allowed);
    }

    /**
     * A map of names to numbers ({@code {"q": 12.5, "cpu": 0.3}}), exactly as written.
     *
     * @param name the field
     * @return the map in file order (empty when absent)
     */
    public Map<String, BigDecimal> numberMap(String name) {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        if (!has(name)) {
            return out;
        }
        JsonFields m = of(node.get(name), file, pathOf(name));
        m.node.properties().forEach(e -> out.put(e.getKey(), m.toDecimal(e.getKey(), e.getValue())));
        return out;
    }

    /**
     * A map of names to strings (annotations, trigger metadata). Numbers and booleans are taken as their text, as
     * YAML users often write them unquoted.
     *
     * @param name the field
     * @return the map in file order (empty when absent)
     */
    public Map<String, String> stringMap(String name) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!has(name)) {
            return out;
        }
        JsonFields m = of(node.get(name), file, pathOf(name));
        m.node.properties().forEach(e -> {
            JsonNode v = e.getValue();
            if (!v.isValueNode() || v.isNull()) {
                throw m.error(e.getKey(), "must be a string, not " + describe(v));
            }
            out.put(e.getKey(), v.asText());
        });
        return out;
    }

    /**
     * A Kubernetes quantity, written as a string ({@code "500m"}) or a plain number.
     *
     * @param name the field
     * @return the value in milli-units, rounded up
     */
    public long quantityMilli(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            throw error(name, "is required (" + Quantity.ALLOWED + ")");
        }
        try {
            if (v.isNumber()) {
                return Quantity.milli(v.decimalValue());
            }
            if (v.isTextual()) {
                return Quantity.parseMilli(v.textValue());
            }
        } catch (IllegalArgumentException ex) {
            throw error(name, ex.getMessage());
        }
        throw error(name, "must be " + Quantity.ALLOWED + ", not " + describe(v));
    }

    /**
     * @param v a node
     * @return a short description for messages
     */
    public static String describe(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "nothing";
        }
        if (v.isNull()) {
            return "null";
        }
        if (v.isObject()) {
            return "an object";
        }
        if (v.isArray()) {
            return "an array";
        }
        if (v.isTextual()) {
            return "the string \"" + v.textValue() + "\"";
        }
        if (v.isBoolean()) {
            return "the boolean " + v.booleanValue();
        }
        return "the number " + v;
    }
}
