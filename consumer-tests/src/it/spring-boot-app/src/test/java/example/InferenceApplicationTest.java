package example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.File;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The application as a user builds it against the published starter: it starts on the Boot and Micrometer versions
 * this build asked for, stays unready until its warm-up step returns, counts a {@code @TrackInference} call, and
 * /actuator/prometheus passes promtool (the whole scrape parses; the library's families lint clean).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class InferenceApplicationTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    Model model;

    @Test
    void readinessFollowsWarmUpAndTrackedCallsAreExported() throws Exception {
        String boot = SpringBootVersion.getVersion();
        String micrometer = MeterRegistry.class.getPackage().getImplementationVersion();
        String where = "llm-autoscale-spring-starter on Spring Boot " + boot + " / Micrometer " + micrometer + ": ";
        assertThat(boot).as("Spring Boot on the class path").isEqualTo(System.getProperty("expected.spring-boot.version"));
        assertThat(micrometer).as("Micrometer on the class path (Boot's own)")
                .isEqualTo(System.getProperty("expected.micrometer.version"));

        assertThat(get("/actuator/health/liveness").statusCode()).as(where + "liveness while warming up").isEqualTo(200);
        HttpResponse<String> warming = get("/actuator/health/readiness");
        assertThat(warming.statusCode()).as(where + "readiness must be 503 while the warm-up step runs: "
                + warming.body()).isEqualTo(503);

        model.loaded();
        awaitStatus("/actuator/health/readiness", 200, where + "readiness did not turn 200 after the warm-up step");

        HttpResponse<String> completion = http.send(HttpRequest.newBuilder(uri("/v1/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"consumer-model\",\"prompt\":\"hello\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(completion.statusCode()).as(where + "completion: " + completion.body()).isEqualTo(200);
        assertThat(completion.body()).contains("hello world");

        HttpResponse<String> scrape = get("/actuator/prometheus");
        assertThat(scrape.statusCode()).as(where + "/actuator/prometheus").isEqualTo(200);
        String metrics = scrape.body();
        assertThat(value(metrics,
                "llm_inference_requests_total\\{[^}]*model=\"consumer-model\"[^}]*status=\"success\"[^}]*\\}"))
                .as(where + "@TrackInference did not count the call as a success of model consumer-model:\n" + metrics)
                .isEqualTo(1.0);
        for (String family : new String[] {"llm_inference_requests_total", "llm_inference_duration_seconds",
                "llm_inference_queue_depth", "llm_active_requests"}) {
            assertThat(metrics).as(where + "/actuator/prometheus lacks " + family).contains("# TYPE " + family + " ");
        }
        promtool(metrics, where);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitStatus(String path, int status, String message) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        HttpResponse<String> last;
        do {
            last = get(path);
            if (last.statusCode() == status) {
                return;
            }
            Thread.sleep(50);
        } while (Instant.now().isBefore(deadline));
        fail(message + ": last answer " + last.statusCode() + " " + last.body());
    }

    private static double value(String exposition, String series) {
        Matcher m = Pattern.compile("(?m)^" + series + " (\\S+)").matcher(exposition);
        if (!m.find()) {
            return fail("no sample matches " + series + " in:\n" + exposition);
        }
        return Double.parseDouble(m.group(1));
    }

    /**
     * promtool (Debian package prometheus) from the PATH. The whole scrape must parse; Spring Boot's and Micrometer's
     * own families draw lint findings (no help text, "_ms" in a name) that are theirs, not the library's, so only the
     * llm_ families must be free of findings.
     */
    private static void promtool(String exposition, String where) throws Exception {
        String[] all = promtoolCheck(exposition);
        assertThat(all[0]).as(where + "promtool cannot parse /actuator/prometheus:\n" + all[1]).isIn("0", "3");
        assertThat(all[1]).as(where + "promtool cannot parse /actuator/prometheus").doesNotContain("error while linting");
        assertThat(all[1].lines().filter(l -> l.startsWith("llm_")))
                .as(where + "promtool findings on the library's families").isEmpty();
        String ours = exposition.lines()
                .filter(l -> l.matches("^(# (HELP|TYPE) )?llm_.*"))
                .reduce("", (a, b) -> a + b + "\n");
        assertThat(ours).as(where + "no llm_ family on /actuator/prometheus").isNotEmpty();
        String[] lint = promtoolCheck(ours);
        assertThat(lint[0].equals("0") && lint[1].isBlank())
                .as(where + "promtool check metrics finds problems in the llm_ families (exit " + lint[0] + "):\n"
                        + lint[1])
                .isTrue();
    }

    private static String[] promtoolCheck(String exposition) throws Exception {
        Path promtool = null;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "promtool");
            if (Files.isExecutable(candidate)) {
                promtool = candidate;
                break;
            }
        }
        if (promtool == null) {
            fail("promtool is not on the PATH; it checks /actuator/prometheus: run scripts/install-test-deps.sh");
        }
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("promtool check metrics did not finish");
        }
        return new String[] {String.valueOf(p.exitValue()), out};
    }
}
