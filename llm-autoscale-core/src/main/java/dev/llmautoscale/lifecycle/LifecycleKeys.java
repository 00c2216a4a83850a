package dev.llmautoscale.lifecycle;

import dev.llmautoscale.settings.Setting;
import dev.llmautoscale.settings.SettingsReader;
import java.time.Duration;
import java.util.List;

/**
 * The keys of {@link LifecycleSettings}, {@code llm.autoscale.lifecycle.*}: warm-up and drain, each with its one
 * default and validation. A new lifecycle setting is one {@link Setting} here, one component of
 * {@link LifecycleSettings} and one line in {@link #read}; the tests that compare the servlet reading with the Spring
 * binding and with {@code docs/CONFIGURATION.md} find it through {@link #ALL}.
 */
public final class LifecycleKeys {

    private static final String P = Setting.PREFIX + "lifecycle.";

    /** Whether the integration runs the lifecycle. */
    public static final Setting<Boolean> ENABLED = Setting.bool(P + "enabled", true,
            "Whether the integration runs the lifecycle: warm-up when the application has started (then ready), "
                    + "drain when it stops. Off: the application calls warmUp/shutdown itself.");
    /** The default timeout of a warm-up hook. */
    public static final Setting<Duration> WARMUP_TIMEOUT = Setting.duration(P + "warmup-timeout",
            Duration.ofMinutes(10), true, "Default timeout of a warm-up hook that declares none.");
    /** Warm-up attempts in all. */
    public static final Setting<Integer> WARMUP_ATTEMPTS = Setting.integer(P + "warmup-attempts", 1, 1,
            Integer.MAX_VALUE, "1 = no retry", "Warm-up attempts in all before the server is marked failed.");
    /** The pause between warm-up attempts. */
    public static final Setting<Duration> WARMUP_RETRY_DELAY = Setting.duration(P + "warmup-retry-delay",
            Duration.ofSeconds(30), false, "The pause between warm-up attempts.");
    /** Serving on after readiness turned off, while load balancers remove the endpoint. */
    public static final Setting<Duration> PRE_DRAIN_DELAY = Setting.duration(P + "pre-drain-delay", null,
            "5s on Kubernetes, 0 elsewhere", false,
            "How long to keep serving after readiness turns off on shutdown, while load balancers remove the "
                    + "endpoint. Skipped when the server never became ready.");
    /** How long a drain waits for running and queued work. */
    public static final Setting<Duration> DRAIN_TIMEOUT = Setting.duration(P + "drain-timeout",
            Duration.ofSeconds(60), false,
            "How long a drain (shutdown, or POST /drain) waits for running and queued inferences. Keep "
                    + "terminationGracePeriodSeconds above pre-drain-delay + drain-timeout.");

    /** The file whose appearance starts a drain: the guide's preStop {@code touch /tmp/shutdown}. */
    public static final Setting<String> DRAIN_TRIGGER_FILE = Setting.optional(P + "drain-trigger-file",
            DrainTrigger.DEFAULT_FILE, "an absolute file path",
            v -> v.startsWith("/") ? null : "must be an absolute file path, got '" + v + "'",
            "When this file appears (or, if it existed at startup, is touched again) the server drains: readiness "
                    + "503, new inferences 503 with Retry-After and Connection: close, running and queued ones "
                    + "finish; checked once a second on one daemon thread. The guide's preStop hook touches it.");

    /** Every lifecycle setting. */
    public static final List<Setting<?>> ALL = List.of(ENABLED, WARMUP_TIMEOUT, WARMUP_ATTEMPTS, WARMUP_RETRY_DELAY,
            PRE_DRAIN_DELAY, DRAIN_TIMEOUT, DRAIN_TRIGGER_FILE);

    private LifecycleKeys() {
    }

    /**
     * Reads the lifecycle settings.
     *
     * @param r the reader; problems are kept in it
     * @return the settings (the defaults where a value is bad)
     */
    public static LifecycleSettings read(SettingsReader r) {
        return r.build(() -> LifecycleSettings.builder()
                .enabled(r.get(ENABLED))
                .warmupTimeout(r.get(WARMUP_TIMEOUT))
                .warmupAttempts(r.get(WARMUP_ATTEMPTS))
                .warmupRetryDelay(r.get(WARMUP_RETRY_DELAY))
                .preDrainDelay(r.get(PRE_DRAIN_DELAY))
                .drainTimeout(r.get(DRAIN_TIMEOUT))
                .drainTriggerFile(r.get(DRAIN_TRIGGER_FILE))
                .build(), LifecycleSettings.defaults());
    }
}
