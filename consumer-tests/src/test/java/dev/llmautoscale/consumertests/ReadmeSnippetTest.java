package dev.llmautoscale.consumertests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's "Add it to your build" snippets are the ones the consumer projects (src/it) build with: each snippet
 * marked {@code <!-- consumer-tests: ID -->} in the README equals every region marked {@code <!-- README: ID -->}
 * in the consumer POMs (whitespace aside), and each is used by at least one of them.
 */
class ReadmeSnippetTest {

    private static final Path ROOT = Path.of(System.getProperty("reactor.root", ".."));
    private static final Path CONSUMERS = Path.of(System.getProperty("consumer.projects", "src/it"));
    private static final Pattern README_SNIPPET =
            Pattern.compile("<!-- consumer-tests: ([a-z-]+) -->\\s*```xml\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern POM_REGION =
            Pattern.compile("<!-- README: ([a-z-]+) -->\\n(.*?)<!-- /README -->", Pattern.DOTALL);
    /** The BOM import sits inside the POM's own dependencyManagement, which the README shows around it. */
    private static final Set<String> WRAPPERS = Set.of("<dependencyManagement>", "</dependencyManagement>",
            "<dependencies>", "</dependencies>");

    @Test
    void readmeSnippetsAreTheOnesTheConsumerBuildsUse() throws IOException {
        Map<String, String> readme = readmeSnippets();
        assertThat(readme).as("README.md snippets marked <!-- consumer-tests: ID -->")
                .containsKeys("version", "bom", "spring", "servlet", "nvml");

        Map<String, List<Path>> used = new LinkedHashMap<>();
        for (Path pom : consumerPoms()) {
            Matcher m = POM_REGION.matcher(Files.readString(pom));
            while (m.find()) {
                String id = m.group(1);
                assertThat(readme).as(pom + " marks a region README: " + id + " that README.md does not show")
                        .containsKey(id);
                assertThat(normalize(m.group(2)))
                        .as("README.md's snippet '" + id + "' differs from the one " + pom + " builds with")
                        .isEqualTo(normalize(readme.get(id)));
                used.computeIfAbsent(id, k -> new ArrayList<>()).add(pom);
            }
        }
        Set<String> checkedElsewhere = Set.of("version");
        for (String id : readme.keySet()) {
            if (!checkedElsewhere.contains(id)) {
                assertThat(used).as("README.md's snippet '" + id + "' is used by no consumer project in " + CONSUMERS)
                        .containsKey(id);
            }
        }
    }

    @Test
    void readmeNamesTheVersionThisBuildMakesAndTheConsumersUseIt() throws IOException {
        String version = System.getProperty("project.version");
        assertThat(version).as("project.version system property (set by the POM)").isNotBlank();
        assertThat(normalize(readmeSnippets().get("version")))
                .as("README.md's version snippet names another version than this build's")
                .contains("<llm-autoscale.version>" + version + "</llm-autoscale.version>");
        for (Path pom : consumerPoms()) {
            assertThat(Files.readString(pom)).as(pom + " must take the llm-autoscale version the README names")
                    .contains("<llm-autoscale.version>@project.version@</llm-autoscale.version>");
        }
    }

    private static Map<String, String> readmeSnippets() throws IOException {
        Path readme = ROOT.resolve("README.md");
        assertThat(readme).as("README.md at the root of the repository").isRegularFile();
        Map<String, String> snippets = new LinkedHashMap<>();
        Matcher m = README_SNIPPET.matcher(Files.readString(readme));
        while (m.find()) {
            assertThat(snippets.put(m.group(1), m.group(2))).as("README.md marks snippet " + m.group(1) + " twice")
                    .isNull();
        }
        return snippets;
    }

    private static List<Path> consumerPoms() throws IOException {
        try (Stream<Path> dirs = Files.list(CONSUMERS)) {
            List<Path> poms = dirs.map(d -> d.resolve("pom.xml")).filter(Files::isRegularFile).sorted()
                    .collect(Collectors.toList());
            assertThat(poms).as("consumer projects in " + CONSUMERS).isNotEmpty();
            return poms;
        }
    }

    private static String normalize(String xml) {
        return xml.lines().map(String::strip).filter(l -> !l.isEmpty() && !WRAPPERS.contains(l))
                .collect(Collectors.joining("\n"));
    }
}
