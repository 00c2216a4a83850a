package dev.llmautoscale.consumertests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What a user, or Maven Central, gets: for each published module, the jar and POM installed into the consumer
 * builds' repository (target/it-repo), its sources and Javadoc jars, its Automatic-Module-Name, and Central's
 * metadata; the installed BOM manages exactly the published artifacts and nothing else. "Published" is read from
 * the reactor itself: every module of the root POM that builds a jar and does not set maven.deploy.skip.
 */
class PublishedArtifactsIT {

    private static final Path ROOT = Path.of(System.getProperty("reactor.root", ".."));
    private static final Path REPO = Path.of(System.getProperty("it.repo", "target/it-repo"));
    private static final String VERSION = System.getProperty("project.version");
    private static final Path GROUP = REPO.resolve("dev/llmautoscale");
    private static final Map<String, String> MODULE_NAMES = Map.of(
            "llm-autoscale-core", "dev.llmautoscale.core",
            "llm-autoscale-nvml", "dev.llmautoscale.nvml",
            "llm-autoscale-servlet", "dev.llmautoscale.servlet",
            "llm-autoscale-spring-starter", "dev.llmautoscale.spring",
            "llm-autoscale-simulator", "dev.llmautoscale.simulator");

    @Test
    void theBomManagesExactlyThePublishedArtifactsAndNothingInherited() throws Exception {
        Document bom = parse(installed("llm-autoscale-bom", "pom"));
        Element project = bom.getDocumentElement();
        assertThat(child(project, "parent")).as("llm-autoscale-bom: the installed BOM must not have a parent "
                + "(its dependencyManagement would leak into users' builds)").isNull();
        assertThat(child(project, "dependencies")).as("llm-autoscale-bom: the BOM declares no dependencies").isNull();
        List<String> managed = new ArrayList<>();
        for (Element dep : children(child(child(project, "dependencyManagement"), "dependencies"), "dependency")) {
            String coordinates = text(dep, "groupId") + ":" + text(dep, "artifactId")
                    + (child(dep, "classifier") == null ? "" : ":" + text(dep, "classifier"));
            assertThat(text(dep, "groupId")).as("llm-autoscale-bom manages a third-party artifact: " + coordinates)
                    .isEqualTo("dev.llmautoscale");
            assertThat(text(dep, "version")).as("llm-autoscale-bom: version of " + coordinates)
                    .isIn("${project.version}", VERSION);
            managed.add(coordinates.substring("dev.llmautoscale:".length()));
        }
        List<String> expected = new ArrayList<>(publishedModules());
        expected.add("llm-autoscale-simulator:cli");
        Collections.sort(expected);
        Collections.sort(managed);
        assertThat(managed).as("llm-autoscale-bom must list every published artifact (modules without "
                + "maven.deploy.skip) and nothing else").isEqualTo(expected);
    }

    @Test
    void everyPublishedJarHasItsModuleNameSourcesAndJavadoc() throws Exception {
        List<String> published = publishedModules();
        assertThat(published).as("published modules").containsExactlyInAnyOrderElementsOf(MODULE_NAMES.keySet());
        for (String module : published) {
            Path jar = installed(module, "jar");
            try (JarFile file = new JarFile(jar.toFile())) {
                Manifest manifest = file.getManifest();
                assertThat(manifest == null ? null : manifest.getMainAttributes().getValue("Automatic-Module-Name"))
                        .as(module + ": Automatic-Module-Name in " + jar).isEqualTo(MODULE_NAMES.get(module));
            }
            Path target = ROOT.resolve(module).resolve("target");
            Path sources = target.resolve(module + "-" + VERSION + "-sources.jar");
            Path javadoc = target.resolve(module + "-" + VERSION + "-javadoc.jar");
            assertThat(sources).as(module + ": sources jar").isRegularFile();
            assertThat(javadoc).as(module + ": Javadoc jar").isRegularFile();
            List<String> classes = entries(jar).stream()
                    .filter(e -> e.endsWith(".class") && !e.contains("$") && !e.endsWith("module-info.class"))
                    .collect(Collectors.toList());
            List<String> sourceFiles = entries(sources);
            for (String c : classes) {
                assertThat(sourceFiles).as(module + ": the sources jar lacks the source of " + c)
                        .contains(c.replace(".class", ".java"));
            }
            assertThat(entries(javadoc)).as(module + ": the Javadoc jar has no index.html").contains("index.html");
        }
        Path cli = ROOT.resolve("llm-autoscale-simulator/target/llm-autoscale-simulator.jar");
        try (JarFile file = new JarFile(cli.toFile())) {
            assertThat(file.getManifest().getMainAttributes().getValue("Main-Class"))
                    .as("llm-autoscale-simulator:cli: the runnable jar's Main-Class").isNotBlank();
        }
    }

    @Test
    void theInstalledPomsCarryWhatMavenCentralRequires() throws Exception {
        Element parent = parse(installed("llm-autoscale-parent", "pom")).getDocumentElement();
        for (String element : List.of("name", "description", "url")) {
            assertThat(text(parent, element)).as("llm-autoscale-parent: <" + element + ">").isNotBlank();
        }
        Element license = child(child(parent, "licenses"), "license");
        assertThat(text(license, "name")).as("llm-autoscale-parent: licence").isEqualTo("Apache-2.0");
        assertThat(Files.readString(ROOT.resolve("LICENSE"))).as("LICENSE at the root")
                .contains("Apache License", "Version 2.0, January 2004");
        for (String element : List.of("connection", "developerConnection", "url")) {
            assertThat(text(child(parent, "scm"), element)).as("llm-autoscale-parent: <scm><" + element + ">")
                    .isNotBlank();
        }
        assertThat(text(child(child(parent, "developers"), "developer"), "name"))
                .as("llm-autoscale-parent: a developer's name").isNotBlank();
        for (String module : publishedModules()) {
            Element pom = parse(installed(module, "pom")).getDocumentElement();
            assertThat(text(pom, "name")).as(module + ": <name>").isNotBlank();
            assertThat(text(pom, "description")).as(module + ": <description>").isNotBlank();
            assertThat(text(child(pom, "parent"), "artifactId")).as(module + ": inherits Central's metadata")
                    .isEqualTo("llm-autoscale-parent");
        }
        Element bom = parse(installed("llm-autoscale-bom", "pom")).getDocumentElement();
        for (String element : List.of("name", "description", "url")) {
            assertThat(text(bom, element)).as("llm-autoscale-bom: <" + element + ">").isNotBlank();
        }
        assertThat(child(bom, "licenses")).as("llm-autoscale-bom: <licenses>").isNotNull();
        assertThat(child(bom, "scm")).as("llm-autoscale-bom: <scm>").isNotNull();
        assertThat(child(bom, "developers")).as("llm-autoscale-bom: <developers>").isNotNull();
    }

    /** Modules of the root POM (recursively) that build a jar and are not marked maven.deploy.skip. */
    private static List<String> publishedModules() throws Exception {
        List<String> published = new ArrayList<>();
        collect(ROOT, false, published);
        return published;
    }

    private static void collect(Path dir, boolean parentSkips, List<String> out) throws Exception {
        Element project = parse(dir.resolve("pom.xml")).getDocumentElement();
        Element properties = child(project, "properties");
        boolean skip = properties != null && child(properties, "maven.deploy.skip") != null
                ? "true".equals(text(properties, "maven.deploy.skip")) : parentSkips;
        String packaging = child(project, "packaging") == null ? "jar" : text(project, "packaging");
        if ("jar".equals(packaging) && !skip) {
            out.add(text(project, "artifactId"));
        }
        Element modules = child(project, "modules");
        for (Element module : children(modules, "module")) {
            collect(dir.resolve(module.getTextContent().trim()), skip, out);
        }
    }

    private static Path installed(String artifactId, String extension) {
        Path file = GROUP.resolve(artifactId).resolve(VERSION).resolve(artifactId + "-" + VERSION + "." + extension);
        assertThat(file).as(artifactId + ": not installed into the consumer builds' repository " + REPO).isRegularFile();
        return file;
    }

    private static List<String> entries(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(e -> e.getName()).collect(Collectors.toCollection(TreeSet::new))
                    .stream().collect(Collectors.toList());
        }
    }

    private static Document parse(Path xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(xml.toFile());
    }

    private static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element && name.equals(n.getNodeName())) {
                return (Element) n;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        if (parent == null) {
            return out;
        }
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element && name.equals(nodes.item(i).getNodeName())) {
                out.add((Element) nodes.item(i));
            }
        }
        return out;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().trim();
    }
}
