package dev.llmautoscale.simulator.decision;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: JSON as the commands read it (exact decimals), resources, YAML files. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Json() {
    }

    /** Parses JSON; single quotes are allowed in the text to keep Java literals readable. */
    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("bad test JSON: " + json, e);
        }
    }

    static JsonFields fields(String json) {
        return JsonFields.of(parse(json), "test.json", "");
    }

    static JsonNode resource(String name) {
        try (InputStream in = Json.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new AssertionError("test resource " + name + " is missing");
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> cases(String resource) {
        List<JsonNode> out = new ArrayList<>();
        resource(resource).get("cases").forEach(out::add);
        return out;
    }

    static List<JsonNode> yamlDocuments(Path file) {
        try {
            List<JsonNode> docs = new ArrayList<>();
            YAML.readerFor(JsonNode.class).readValues(file.toFile()).forEachRemaining(d -> docs.add((JsonNode) d));
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
