package dev.llmautoscale.servlet.bench;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.admission.AdmissionLimits;
import dev.llmautoscale.servlet.InferenceTrackingFilter;
import dev.llmautoscale.servlet.FilterSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Throughput of a trivial endpoint on embedded Jetty 12 without the filter and with it, in the same run, measured
 * with {@code wrk}.
 *
 * <p>Each server runs in its own JVM (so that the filter's wrapper classes do not change the JIT's type profiles of
 * the server without it), with the same heap. Three servers: without the filter, a second one without the filter
 * (the control: its ratio to the first is the noise floor of the run), and with the filter. Every round runs all
 * three in turn, rotating the order, and ratios are taken within a round, so drift on a busy machine hits them
 * alike; the table gives the median of the per-round ratios. It also reads each server JVM's CPU time around every
 * run and reports CPU microseconds per request (JIT, GC and Jetty's own threads included), which other processes on
 * the machine disturb far less than throughput.
 *
 * <p>Scenarios: {@code GET} with the model in the {@code X-Model} header (the bare cost of tracking), {@code POST} of
 * a 300-byte OpenAI chat body whose model is found by the JSON peek, and a path the filter does not track (the
 * pass-through cost). Run it with {@code scripts/bench-servlet-filter.sh}; system properties {@code rounds} (6),
 * {@code seconds} per server and round (5), {@code connections} (16), {@code threads} (1 wrk thread).
 */
public final class FilterThroughputBenchmark {

    private static final byte[] ANSWER = "{\"id\":\"cmpl-1\",\"choices\":[{\"text\":\"ok\"}]}"
            .getBytes(StandardCharsets.UTF_8);
    private static final String CHAT_BODY = "{\"model\":\"bench-model\",\"messages\":[{\"role\":\"system\",\"content\":"
            + "\"You are a helpful assistant.\"},{\"role\":\"user\",\"content\":\"Write one sentence about "
            + "autoscaling inference servers on Kubernetes, please.\"}],\"max_tokens\":64,\"temperature\":0.7,"
            + "\"stream\":false,\"user\":\"benchmark\"}";

    private FilterThroughputBenchmark() {
    }

    /** The trivial endpoint: reads the body, answers a fixed small JSON. */
    private static final class Trivial extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            InputStream in = req.getInputStream();
            byte[] buf = new byte[1024];
            while (in.read(buf) >= 0) {
                // drain the body as an application would
            }
            resp.setContentType("application/json");
            resp.setContentLength(ANSWER.length);
            resp.getOutputStream().write(ANSWER);
        }
    }

    /**
     * The child JVM: {@code serve plain|filtered}; prints {@code PORT n}, serves until its standard input closes,
     * then prints {@code TRACKED n} (requests the filter counted).
     */
    private static void serve(boolean withFilter) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new Trivial()), "/v1/chat/completions");
        context.addServlet(new ServletHolder(new Trivial()), "/other");
        if (withFilter) {
            LlmAutoscale autoscale = LlmAutoscale.builder(registry).admission(AdmissionLimits.disabled()).build();
            autoscale.lifecycle().warmUp();
            FilterHolder holder = new FilterHolder(new InferenceTrackingFilter(autoscale,
                    FilterSettings.defaults()));
            holder.setAsyncSupported(true);
            context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
        }
        server.setHandler(context);
        server.start();
        System.out.println("PORT " + connector.getLocalPort());
        System.out.flush();
        while (System.in.read() >= 0) {
            // serve until the parent closes our standard input
        }
        double tracked = registry.find("llm.inference.requests").counters().stream().mapToDouble(Counter::count).sum();
        System.out.printf(Locale.ROOT, "TRACKED %.0f%n", tracked);
        System.out.flush();
        server.stop();
    }

    /** A server in its own JVM. */
    private static final class Child {
        final String name;
        final Process process;
        final BufferedReader out;
        final int port;

        Child(String name, boolean withFilter) throws IOException {
            this.name = name;
            String java = ProcessHandle.current().info().command().orElse("java");
            this.process = new ProcessBuilder(java, "-Xms256m", "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                    "-cp", System.getProperty("java.class.path"), FilterThroughputBenchmark.class.getName(), "serve",
                    withFilter ? "filtered" : "plain")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            int p = -1;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("PORT ")) {
                    p = Integer.parseInt(line.substring(5).trim());
                    break;
                }
            }
            if (p < 0) {
                throw new IllegalStateException("server " + name + " did not start");
            }
            this.port = p;
        }

        long cpuNanos() {
            return process.toHandle().info().totalCpuDuration().map(d -> d.toNanos())
                    .orElseThrow(() -> new IllegalStateException("no CPU time for the server process"));
        }

        String stop() throws Exception {
            process.getOutputStream().close();
            String tracked = "";
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("TRACKED ")) {
                    tracked = line.substring(8).trim();
                }
            }
            process.waitFor(30, TimeUnit.SECONDS);
            process.destroyForcibly();
            return tracked;
        }
    }

    /**
     * @param args {@code serve plain|filtered} in a child JVM; nothing to run the benchmark (see the class comment)
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("serve")) {
            serve(args[1].equals("filtered"));
            return;
        }
        int rounds = Integer.getInteger("rounds", 6);
        int seconds = Integer.getInteger("seconds", 5);
        int connections = Integer.getInteger("connections", 16);
        int threads = Integer.getInteger("threads", 1);

        Child[] servers = {new Child("without filter", false), new Child("control", false),
                new Child("with filter", true)};
        Path post = Files.createTempFile("wrk-post", ".lua");
        Files.writeString(post, "wrk.method = \"POST\"\nwrk.body = '" + CHAT_BODY + "'\n"
                + "wrk.headers[\"Content-Type\"] = \"application/json\"\n");
        Path header = Files.createTempFile("wrk-get", ".lua");
        Files.writeString(header, "wrk.headers[\"X-Model\"] = \"bench-model\"\n");
        try {
            System.out.printf(Locale.ROOT, "# Jetty 12 + wrk: %d rounds x %d s per server, %d connections, %d wrk "
                    + "thread(s), Java %s, %d CPUs, load average before: %s%n", rounds, seconds, connections, threads,
                    System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), loadAverage());
            System.out.println();
            System.out.println("| Scenario | without filter (req/s) | with filter (req/s) | throughput ratio "
                    + "with/without (range) | control ratio | CPU without (us/req) | CPU with (us/req) | CPU ratio "
                    + "without/with | control CPU ratio |");
            System.out.println("|---|---|---|---|---|---|---|---|---|");
            row("GET, model in `X-Model` header", servers, "/v1/chat/completions", header, rounds, seconds,
                    connections, threads);
            row("POST 300 B chat JSON, model from the body peek", servers, "/v1/chat/completions", post, rounds,
                    seconds, connections, threads);
            row("GET, untracked path (pass-through)", servers, "/other", header, rounds, seconds, connections,
                    threads);
        } finally {
            String tracked = servers[2].stop();
            servers[0].stop();
            servers[1].stop();
            Files.deleteIfExists(post);
            Files.deleteIfExists(header);
            System.out.printf(Locale.ROOT, "%nRequests the filter tracked (sanity check, > 0): %s; load average "
                    + "after: %s%n", tracked, loadAverage());
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Paths.get("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "n/a";
        }
    }

    /**
     * Runs the three servers in turn, rotating the order every round (so each goes first, second and third equally
     * often), and compares within each round: a ratio per round, then their median. Besides throughput, it reads each
     * server JVM's CPU time around its run: CPU per request is far less sensitive than throughput to other processes
     * competing for the cores.
     */
    private static void row(String name, Child[] servers, String path, Path script, int rounds, int seconds,
            int connections, int threads) throws Exception {
        String[] urls = new String[servers.length];
        for (int i = 0; i < servers.length; i++) {
            urls[i] = "http://127.0.0.1:" + servers[i].port + path;
            wrk(urls[i], script, 5, connections, threads); // warm-up (JIT)
        }
        List<Double> without = new ArrayList<>();
        List<Double> with = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        List<Double> controls = new ArrayList<>();
        List<Double> cpuWithout = new ArrayList<>();
        List<Double> cpuWith = new ArrayList<>();
        List<Double> cpuRatios = new ArrayList<>();
        List<Double> cpuControls = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            double[] rps = new double[servers.length];
            double[] cpu = new double[servers.length];
            for (int k = 0; k < servers.length; k++) {
                int i = (k + r) % servers.length;
                long before = servers[i].cpuNanos();
                Run run = wrk(urls[i], script, seconds, connections, threads);
                rps[i] = run.rps();
                cpu[i] = (servers[i].cpuNanos() - before) / 1000.0 / run.requests(); // microseconds per request
            }
            without.add(rps[0]);
            with.add(rps[2]);
            ratios.add(rps[2] / rps[0]);
            controls.add(rps[1] / rps[0]);
            cpuWithout.add(cpu[0]);
            cpuWith.add(cpu[2]);
            cpuRatios.add(cpu[0] / cpu[2]);
            cpuControls.add(cpu[0] / cpu[1]);
        }
        System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | **%.3f** (%.3f - %.3f) | %.3f | %.1f | %.1f | **%.3f** | %.3f |%n",
                name, median(without), median(with), median(ratios), Collections.min(ratios), Collections.max(ratios),
                median(controls), median(cpuWithout), median(cpuWith), median(cpuRatios), median(cpuControls));
        System.err.printf(Locale.ROOT, "%s: req/s without %s, with %s, control ratios %s; CPU us/req without %s, "
                + "with %s%n", name, without, with, controls, cpuWithout, cpuWith);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** One wrk run: requests per second and the request count. */
    private record Run(double rps, long requests) {
    }

    private static Run wrk(String url, Path script, int seconds, int connections, int threads) throws Exception {
        Process p = new ProcessBuilder("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                "-s", script.toString(), url).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("wrk failed (is it installed? see scripts/install-test-deps.sh):\n" + out);
        }
        if (out.contains("Non-2xx") || out.contains("Socket errors")) {
            throw new IllegalStateException("wrk saw errors:\n" + out);
        }
        Matcher m = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
        Matcher n = Pattern.compile("([0-9]+) requests in").matcher(out);
        if (!m.find() || !n.find()) {
            throw new IllegalStateException("no Requests/sec in wrk output:\n" + out);
        }
        return new Run(Double.parseDouble(m.group(1)), Long.parseLong(n.group(1)));
    }
}
