package dev.llmautoscale.examples.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One YAML document of deploy/.
 *
 * @param file the file, relative to deploy/
 * @param index the document's position in the file, from 0
 * @param body the parsed document
 */
public record Manifest(Path file, int index, Map<String, Object> body) {

    /**
     * @return {@code apiVersion}
     */
    public String apiVersion() {
        return String.valueOf(body.get("apiVersion"));
    }

    /**
     * @return {@code kind}
     */
    public String kind() {
        return String.valueOf(body.get("kind"));
    }

    /**
     * @return {@code metadata.name}
     */
    public String name() {
        return String.valueOf(get("metadata", "name"));
    }

    /**
     * Follows map keys and list indices.
     *
     * @param path keys (String) and indices (Integer)
     * @return the value, or {@code null} when a step is missing
     */
    public Object get(Object... path) {
        return at(body, path);
    }

    /**
     * Follows map keys and list indices from any node.
     *
     * @param node the start
     * @param path keys (String) and indices (Integer)
     * @return the value, or {@code null} when a step is missing
     */
    public static Object at(Object node, Object... path) {
        Object n = node;
        for (Object step : path) {
            if (n instanceof Map<?, ?> m && step instanceof String key) {
                n = m.get(key);
            } else if (n instanceof List<?> l && step instanceof Integer i && i < l.size()) {
                n = l.get(i);
            } else {
                return null;
            }
        }
        return n;
    }

    @Override
    public String toString() {
        return "deploy/" + file + " document " + (index + 1) + " (" + kind() + " " + name() + ")";
    }
}
