package dev.llmautoscale.simulator.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmautoscale.simulator.config.ConfigException;
import dev.llmautoscale.simulator.decision.JsonFields;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The shared frame of the pure decision commands ({@code hpa-decide}, {@code hpa-replicas}, {@code keda-decide}):
 * one JSON object or an array of them from stdin or {@code --input}, one compact JSON result per object on stdout
 * (an array for an array, same order). Bad input prints one message on stderr naming the file, the field (with the
 * array index) and what is allowed, prints nothing on stdout and exits with {@link SimulatorCli#EXIT_BAD_INPUT}.
 *
 * @param <T> the parsed form of one input object
 */
abstract class DecisionCommand<T> implements Callable<Integer> {

    /** Reads numbers exactly as written, so that {@code 0.29} is 0.29 and not the nearest double. */
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @Spec
    CommandSpec spec;

    @Option(names = {"-i", "--input"}, paramLabel = "FILE",
            description = "Read the JSON input from FILE instead of stdin (\"-\" is stdin).")
    String input = "-";

    /**
     * @param in one input object
     * @return its parsed form
     */
    abstract T parse(JsonFields in);

    /**
     * @param parsed one parsed input
     * @return its result object
     */
    abstract ObjectNode result(T parsed);

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            String text = read();
            JsonNode root = parseJson(text);
            JsonNode output = run(root, this::parse, this::result);
            out.println(JSON.writeValueAsString(output));
            out.flush();
            return 0;
        } catch (ConfigException ex) {
            err.println("error: " + ex.getMessage());
            err.flush();
            return SimulatorCli.EXIT_BAD_INPUT;
        } catch (IOException ex) {
            err.println("error: " + input + ": " + ex.getMessage());
            err.flush();
            return SimulatorCli.EXIT_BAD_INPUT;
        }
    }

    private String read() throws IOException {
        if ("-".equals(input)) {
            InputStream in = System.in;
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            return Files.readString(Path.of(input), StandardCharsets.UTF_8);
        } catch (NoSuchFileException ex) {
            throw new ConfigException(input, "(file)", "no such file");
        } catch (IOException ex) {
            throw new ConfigException(input, "(file)", "cannot be read: " + ex.getMessage());
        }
    }

    private JsonNode parseJson(String text) {
        if (text.isBlank()) {
            throw new ConfigException(input, "(document)", "is empty; expected one JSON object or an array of them");
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException ex) {
            String where = ex.getLocation() == null ? ""
                    : " at line " + ex.getLocation().getLineNr() + ", column " + ex.getLocation().getColumnNr();
            String why = ex.getOriginalMessage().startsWith("Trailing token")
                    ? "more than one JSON value; give one object or one array of objects"
                    : ex.getOriginalMessage();
            throw new ConfigException(input, "(document)", "is not valid JSON" + where + ": " + why);
        }
    }

    private <P> JsonNode run(JsonNode root, Function<JsonFields, P> parser, Function<P, ObjectNode> compute) {
        if (root.isArray()) {
            List<P> parsed = new ArrayList<>();
            for (int i = 0; i < root.size(); i++) {
                parsed.add(parser.apply(JsonFields.of(root.get(i), input, "[" + i + "]")));
            }
            ArrayNode results = JSON.createArrayNode();
            for (P p : parsed) {
                results.add(compute.apply(p));
            }
            return results;
        }
        if (!root.isObject()) {
            throw new ConfigException(input, "(document)", "must be one JSON object or an array of them, not "
                    + JsonFields.describe(root));
        }
        return compute.apply(parser.apply(JsonFields.of(root, input, "")));
    }
}
