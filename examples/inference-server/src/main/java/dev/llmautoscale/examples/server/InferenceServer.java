package dev.llmautoscale.examples.server;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.admission.AdmissionLimits;
import dev.llmautoscale.examples.engine.ModelCache;
import dev.llmautoscale.examples.engine.SimulatedEngine;
import dev.llmautoscale.examples.openai.OpenAiHandler;
import dev.llmautoscale.examples.settings.ExampleSettings;
import dev.llmautoscale.examples.settings.SettingsException;
import dev.llmautoscale.gpu.GpuTelemetryOptions;
import dev.llmautoscale.lifecycle.DrainTrigger;
import dev.llmautoscale.lifecycle.LifecycleSettings;
import dev.llmautoscale.lifecycle.LifecycleState;
import dev.llmautoscale.metrics.InferenceMetricsConfig;
import dev.llmautoscale.servlet.LlmAutoscaleServlets;
import dev.llmautoscale.servlet.FilterSettings;
import dev.llmautoscale.servlet.ServletInstallation;
import dev.llmautoscale.servlet.ServletSettings;
import dev.llmautoscale.servlet.endpoint.DrainEndpointSettings;
import dev.llmautoscale.servlet.endpoint.MetricsServerSettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.ServletRegistration;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example inference server: {@code java -jar inference-server.jar}, configured by environment variables
 * ({@link ExampleSettings}).
 *
 * <p>Port {@code PORT} (8000) serves the OpenAI-compatible API, {@code /health}, {@code /ready},
 * {@code /active_requests}, {@code /autoscaling}, {@code /metrics} and loopback-only {@code POST /drain}; port
 * {@code METRICS_PORT} (8001) serves {@code /metrics} for Prometheus. At start the SIMULATED model load runs as a
 * warm-up hook: {@code /ready} answers 503 until it is done. On SIGTERM the core's shutdown sequence runs: not ready
 * but serving for {@code PRE_DRAIN_DELAY_SECONDS}, then new requests get 503 while in-flight ones finish (up to
 * {@code DRAIN_TIMEOUT_SECONDS}), then the probes keep answering for {@code SHUTDOWN_LINGER_SECONDS} and Jetty stops.
 */
public final class InferenceServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InferenceServer.class);
    /** Threads beyond MAX_CONCURRENT_REQUESTS: probes, scrapes, refusals, resumed requests, Jetty's own. */
    static final int THREAD_HEADROOM = 48;

    private final ExampleSettings settings;
    private final PrometheusMeterRegistry registry;
    private final LlmAutoscale autoscale;
    private final SimulatedEngine engine;
    private final Server jetty;
    private final ServerConnector connector;
    private final ServletContextHandler context;
    private volatile long startNanos;
    private volatile ServletInstallation installation;

    private InferenceServer(ExampleSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AdmissionLimits admission = AdmissionLimits.builder()
                .enabled(true)
                .maxConcurrency(settings.maxConcurrentRequests())
                .queueCapacity(settings.queueCapacity())
                .maxQueueWait(settings.maxQueueWait())
                .retryAfter(Duration.ofSeconds(1))
                .drainRetryAfter(Duration.ofSeconds(5))
                .build();
        // Only the configured models get their own label value; any other name a client sends is counted as "other".
        InferenceMetricsConfig metrics = InferenceMetricsConfig.builder()
                .modelAllowList(new LinkedHashSet<>(settings.models()))
                .build();
        this.autoscale = LlmAutoscale.builder(registry)
                .admission(admission)
                .metrics(metrics)
                // The guide's KEDA GPU query reads the older exporter names: on in the examples.
                .gpu(GpuTelemetryOptions.defaults().withLegacyExporterNames(true))
                .gpuAffectsReadiness(true)
                .build();
        this.engine = new SimulatedEngine(settings.models(), settings.engine(), settings.modelCache(),
                autoscale.tracker()::kvCacheUtilization);
        engine.bindTo(registry);
        engine.addWarmupHooks(autoscale.lifecycle());

        ServletSettings servletSettings = ServletSettings.defaults()
                .withFilter(FilterSettings.defaults().withDefaultModel(settings.models().get(0)))
                .withDrain(DrainEndpointSettings.defaults().withEnabled(true))
                .withMetricsServer(new MetricsServerSettings(settings.metricsPort(), null))
                .withLifecycle(LifecycleSettings.builder().drainTimeout(settings.drainTimeout())
                        .drainTriggerFile(settings.drainTriggerFile()).build());
        OpenAiServlet api = new OpenAiServlet(new OpenAiHandler(engine), autoscale.tracker());

        // Running inferences hold a thread; queued ones do not (the filter suspends them), so the pool is sized by
        // MAX_CONCURRENT_REQUESTS plus headroom for probes, scrapes and refusals, whatever QUEUE_CAPACITY is.
        QueuedThreadPool threads = new QueuedThreadPool(settings.maxConcurrentRequests() + THREAD_HEADROOM);
        threads.setName("http");
        this.jetty = new Server(threads);
        // The core's shutdown hook drains first and stops Jetty itself: Jetty must not stop on its own at SIGTERM.
        jetty.setStopAtShutdown(false);
        jetty.setStopTimeout(5_000);
        this.connector = new ServerConnector(jetty);
        connector.setPort(settings.port());
        jetty.addConnector(connector);
        this.context = new ServletContextHandler("/");
        context.addServletContainerInitializer((classes, ctx) -> {
            installation = LlmAutoscaleServlets.register(ctx, autoscale, servletSettings);
            ServletRegistration.Dynamic reg = ctx.addServlet("openai", api);
            reg.setAsyncSupported(true); // lets the filter suspend queued requests instead of holding a thread
            reg.addMapping("/v1/*");
            ctx.addServlet("index", new IndexServlet(this::urls)).addMapping("");
        });
        jetty.setHandler(new GracefulHandler(context));
    }

    /**
     * Starts Jetty and the metrics server, then the warm-up (the simulated model load) in the background.
     *
     * @param settings the configuration
     * @return the running server
     * @throws Exception when Jetty cannot start (such as a port in use)
     */
    public static InferenceServer start(ExampleSettings settings) throws Exception {
        InferenceServer server = new InferenceServer(settings);
        server.startNanos = System.nanoTime();
        try {
            server.jetty.start();
        } catch (Exception e) {
            server.close();
            throw e;
        }
        server.autoscale.lifecycle().addListener((from, to) -> {
            if (to == LifecycleState.READY) {
                log.info("Ready after {} ms: {} loaded (SIMULATED engine)",
                        (System.nanoTime() - server.startNanos) / 1_000_000, settings.models());
            }
        });
        server.autoscale.lifecycle().warmUpAsync();
        return server;
    }

    /**
     * Installs the SIGTERM / SIGINT sequence: the core's shutdown (not ready, pre-drain delay, refuse new work, wait
     * for in-flight work), then the linger, then Jetty, the engine and the GPU source stop.
     */
    public void installShutdownHook() {
        autoscale.lifecycle().installShutdownHook(settings.preDrainDelay(), settings.drainTimeout(), () -> {
            long linger = settings.shutdownLinger().toMillis();
            ServletInstallation installed = installation;
            if (installed != null && installed.drainTrigger().map(DrainTrigger::fired).orElse(false)) {
                // The drain trigger drained before SIGTERM: the preStop loop has seen its 0 already.
                log.info("Shutdown: drained before SIGTERM by {}; stopping at once", settings.drainTriggerFile());
                linger = 0;
            }
            if (linger > 0) {
                log.info("Shutdown: answering probes and /active_requests for {} ms more", linger);
                try {
                    Thread.sleep(linger);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            close();
            log.info("Shutdown: stopped");
        });
    }

    /**
     * @return the port of the API and probes
     */
    public int port() {
        return connector.getLocalPort();
    }

    /**
     * @return the port of the separate metrics server, or -1 when none runs
     */
    public int metricsPort() {
        ServletInstallation installed = installation;
        return installed == null ? -1 : installed.metricsServerPort().orElse(-1);
    }

    /**
     * @return the wired library instance
     */
    public LlmAutoscale autoscale() {
        return autoscale;
    }

    /** Waits until Jetty stops. */
    void join() throws InterruptedException {
        jetty.join();
    }

    /** Stops Jetty (and with it the metrics server), the engine, and the GPU source. Idempotent. */
    @Override
    public void close() {
        try {
            jetty.stop();
        } catch (Exception e) {
            log.warn("Stopping Jetty failed", e);
        }
        engine.close();
        autoscale.close();
    }

    /**
     * The text printed at start: what this is and what to try.
     *
     * @return the banner
     */
    String urls() {
        String base = "localhost:" + port();
        String model = settings.models().get(0);
        StringBuilder b = new StringBuilder();
        b.append("llm-autoscale example inference server: a SIMULATED LLM engine (no model runs) behind real\n")
                .append("metrics, admission control, readiness and drain.\n")
                .append("  models ").append(settings.models())
                .append(", batch ").append(settings.engine().maxBatchSize())
                .append(", max concurrent ").append(settings.maxConcurrentRequests()).append(", queue ")
                .append(settings.queueCapacity()).append(", model load ")
                .append(settings.engine().modelLoadTime().toMillis()).append(" ms, ")
                .append(settings.modelCache()).append("\n")
                .append("Try:\n")
                .append("  curl -s ").append(base).append("/v1/completions -H 'Content-Type: application/json' \\\n")
                .append("       -d '{\"model\":\"").append(model)
                .append("\",\"prompt\":\"Hello\",\"max_tokens\":16}'\n")
                .append("  curl -sN ").append(base).append("/v1/chat/completions -H 'Content-Type: application/json'")
                .append(" \\\n       -d '{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"stream\":true}'\n")
                .append("  curl -s ").append(base).append("/v1/models\n")
                .append("  curl -s ").append(base)
                .append("/ready            (503 until the simulated model load ends)\n")
                .append("  curl -s ").append(base).append("/health\n")
                .append("  curl -s ").append(base).append("/active_requests  (the guide's preStop loop reads it)\n")
                .append("  curl -s ").append(base).append("/autoscaling      (KEDA metrics-api JSON)\n")
                .append("  curl -s localhost:").append(metricsPort()).append("/metrics\n")
                .append("Load:  java -jar examples/loadgen/target/loadgen.jar --url http://").append(base)
                .append(" --profile spike --duration 60\n")
                .append("Stop:  Ctrl-C or SIGTERM drains (readiness 503, in-flight requests finish, exit)\n");
        return b.toString();
    }

    /**
     * The init container's job ({@code inference-server preload}): makes sure every model of {@code MODEL_NAME} is in
     * the {@code MODEL_DIR} cache (a cold one costs {@code MODEL_FETCH_SECONDS} per model), then returns, so that the
     * server container starting next finds the cache warm.
     *
     * @param settings the configuration; its model cache must be set
     * @return the process exit status: 0 when every model is cached, 2 without {@code MODEL_DIR}
     * @throws InterruptedException when interrupted
     */
    static int preload(ExampleSettings settings) throws InterruptedException {
        ModelCache cache = settings.modelCache();
        if (cache.directory().isEmpty()) {
            System.err.println("inference-server preload: MODEL_DIR is not set; it names the model cache to fill");
            return 2;
        }
        for (String model : settings.models()) {
            ModelCache.Outcome outcome = cache.ensure(model);
            System.out.println("inference-server preload: " + model + " "
                    + (outcome == ModelCache.Outcome.WARM ? "already cached" : "fetched") + " in "
                    + cache.modelPath(model));
        }
        return 0;
    }

    /**
     * Reads the environment, starts the server, prints the URLs to try, and drains on SIGTERM. With the argument
     * {@code preload} it only fills the model cache ({@link #preload(ExampleSettings)}) and exits.
     *
     * @param args none to serve, or {@code preload}
     * @throws Exception when the server cannot start
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 1 || (args.length == 1 && !args[0].equals("preload"))) {
            System.err.println("inference-server: unknown arguments " + String.join(" ", args)
                    + "; expected none (serve) or 'preload' (fill MODEL_DIR and exit); configuration is by"
                    + " environment");
            System.exit(2);
            return;
        }
        ExampleSettings settings;
        try {
            settings = ExampleSettings.fromEnvironment();
        } catch (SettingsException e) {
            System.err.println("inference-server: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (args.length == 1) {
            try {
                System.exit(preload(settings));
            } catch (UncheckedIOException e) {
                System.err.println("inference-server preload: " + e.getMessage());
                System.exit(1);
            }
            return;
        }
        InferenceServer server = start(settings);
        server.installShutdownHook();
        System.out.println(server.urls());
        // One machine-readable line, for scripts and tests that start the server on free ports (PORT=0).
        System.out.println("inference-server: listening http=" + server.port() + " metrics=" + server.metricsPort());
        System.out.flush();
        server.join();
    }
}
