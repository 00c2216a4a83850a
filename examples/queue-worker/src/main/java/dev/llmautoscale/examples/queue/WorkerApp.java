package dev.llmautoscale.examples.queue;

import dev.llmautoscale.LlmAutoscale;
import dev.llmautoscale.admission.AdmissionLimits;
import dev.llmautoscale.examples.engine.SimulatedEngine;
import dev.llmautoscale.gpu.GpuTelemetryOptions;
import dev.llmautoscale.lifecycle.LifecycleSettings;
import dev.llmautoscale.lifecycle.LifecycleState;
import dev.llmautoscale.metrics.InferenceMetricsConfig;
import dev.llmautoscale.servlet.FilterSettings;
import dev.llmautoscale.servlet.LlmAutoscaleServlets;
import dev.llmautoscale.servlet.ServletInstallation;
import dev.llmautoscale.servlet.ServletSettings;
import dev.llmautoscale.servlet.endpoint.MetricsServerSettings;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker process: the library (tracker, lifecycle, GPU gauges), the simulated engine, the {@link QueueWorker},
 * and an embedded Jetty serving the servlet module's {@code /health}, {@code /ready}, {@code /active_requests} and
 * {@code /metrics} on {@code PORT}, with {@code /metrics} also on {@code METRICS_PORT} — the probes and scrape of the
 * example server, with no API.
 */
public final class WorkerApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkerApp.class);

    private final WorkerSettings settings;
    private final LlmAutoscale autoscale;
    private final SimulatedEngine engine;
    private final ClientResources resources;
    private final JobQueue queue;
    private final QueueWorker worker;
    private final Server jetty;
    private final ServerConnector connector;
    private final ServletContextHandler context;
    private volatile ServletInstallation installation;

    private WorkerApp(WorkerSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // The worker takes a job only when a slot is free, so admission never queues: queue capacity 0.
        AdmissionLimits admission = AdmissionLimits.builder()
                .enabled(true)
                .maxConcurrency(settings.server().maxConcurrentRequests())
                .queueCapacity(0)
                .build();
        InferenceMetricsConfig metrics = InferenceMetricsConfig.builder()
                .modelAllowList(new LinkedHashSet<>(settings.server().models()))
                .build();
        this.autoscale = LlmAutoscale.builder(registry)
                .admission(admission)
                .metrics(metrics)
                .gpu(GpuTelemetryOptions.defaults().withLegacyExporterNames(true))
                .gpuAffectsReadiness(true)
                .build();
        this.engine = new SimulatedEngine(settings.server().models(), settings.server().engine(),
                settings.server().modelCache(),
                autoscale.tracker()::kvCacheUtilization);
        engine.bindTo(registry);
        engine.addWarmupHooks(autoscale.lifecycle());
        this.resources = JobQueue.resources();
        JobQueue q;
        try {
            q = new JobQueue(settings, resources);
        } catch (RuntimeException e) {
            engine.close();
            autoscale.close();
            resources.shutdown(0, 2, TimeUnit.SECONDS);
            throw e;
        }
        this.queue = q;
        this.worker = new QueueWorker(settings, autoscale, engine, queue, new WorkerMetrics(registry,
                settings.queue()));

        ServletSettings servletSettings = ServletSettings.defaults()
                .withFilter(FilterSettings.defaults().withDefaultModel(settings.server().models().get(0)))
                .withMetricsServer(new MetricsServerSettings(settings.server().metricsPort(), null))
                // The guide's preStop touch drains the worker too: the lifecycle turns DRAINING, the taker stops.
                .withLifecycle(LifecycleSettings.builder().drainTimeout(settings.server().drainTimeout())
                        .drainTriggerFile(settings.server().drainTriggerFile()).build());
        QueuedThreadPool threads = new QueuedThreadPool(32);
        threads.setName("http");
        this.jetty = new Server(threads);
        jetty.setStopAtShutdown(false);
        this.connector = new ServerConnector(jetty);
        connector.setPort(settings.server().port());
        jetty.addConnector(connector);
        this.context = new ServletContextHandler("/");
        context.addServletContainerInitializer((classes, ctx) ->
                installation = LlmAutoscaleServlets.register(ctx, autoscale, servletSettings));
        jetty.setHandler(context);
    }

    /**
     * Connects to Redis, starts Jetty, the heartbeat and the warm-up; the worker takes jobs once ready.
     *
     * @param settings the configuration
     * @return the running worker
     * @throws Exception when Redis cannot be reached or Jetty cannot start
     */
    public static WorkerApp start(WorkerSettings settings) throws Exception {
        WorkerApp app = new WorkerApp(settings);
        try {
            app.jetty.start();
        } catch (Exception e) {
            app.close();
            throw e;
        }
        app.worker.start();
        long t0 = System.nanoTime();
        app.autoscale.lifecycle().addListener((from, to) -> {
            if (to == LifecycleState.READY) {
                log.info("Ready after {} ms: {} loaded (SIMULATED engine)", (System.nanoTime() - t0) / 1_000_000,
                        settings.server().models());
            }
        });
        app.autoscale.lifecycle().warmUpAsync();
        return app;
    }

    /**
     * Installs the SIGTERM sequence: the lifecycle drains (the worker stops taking, jobs in hand finish within
     * {@code DRAIN_TIMEOUT_SECONDS}), the rest is given back, then the probes linger and everything stops.
     */
    public void installShutdownHook() {
        autoscale.lifecycle().installShutdownHook(settings.server().preDrainDelay(), settings.server().drainTimeout(),
                () -> {
                    worker.finish();
                    long linger = settings.server().shutdownLinger().toMillis();
                    if (linger > 0) {
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
     * @return the port of the probes and {@code /metrics}
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
     * @return the library instance
     */
    public LlmAutoscale autoscale() {
        return autoscale;
    }

    void join() throws InterruptedException {
        jetty.join();
    }

    /** Finishes the worker, stops Jetty, the engine, Redis and the GPU source. Idempotent. */
    @Override
    public void close() {
        worker.close();
        try {
            jetty.stop();
        } catch (Exception e) {
            log.warn("Stopping Jetty failed", e);
        }
        engine.close();
        autoscale.close();
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
