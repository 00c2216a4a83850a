package dev.llmautoscale.testsupport;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A real {@code redis-server} (Debian package {@code redis-server}) on a free loopback port with its files in a
 * temporary directory. Without persistence by default; {@link #withAppendOnlyFile()} makes every write durable
 * ({@code appendfsync always}) so that a restart keeps the data, as a production Redis with persistence would.
 */
public final class RedisServer implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("Ready to accept connections");

    private final Path dir;
    private final Path logs;
    private final int port;
    private final boolean durable;
    private ChildProcess process;
    private int starts;

    private RedisServer(Path dir, Path logs, boolean durable) throws IOException {
        this.dir = dir;
        this.logs = logs;
        this.durable = durable;
        this.port = FreePort.pick();
    }

    /**
     * Starts a Redis without persistence.
     *
     * @param dir its working directory (a temporary one)
     * @param logs where its log goes
     * @return the running server
     */
    public static RedisServer start(Path dir, Path logs) throws IOException {
        RedisServer r = new RedisServer(dir, logs, false);
        r.launch();
        return r;
    }

    /**
     * Starts a Redis that writes every command to its append-only file, so that {@link #restart()} loses nothing.
     *
     * @param dir its working directory (a temporary one)
     * @param logs where its log goes
     * @return the running server
     */
    public static RedisServer startDurable(Path dir, Path logs) throws IOException {
        RedisServer r = new RedisServer(dir, logs, true);
        r.launch();
        return r;
    }

    private void launch() throws IOException {
        List<String> command = new ArrayList<>(List.of(ExternalTools.require("redis-server").toString(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
                "--save", "", "--daemonize", "no", "--protected-mode", "yes", "--loglevel", "notice"));
        if (durable) {
            command.addAll(List.of("--appendonly", "yes", "--appendfsync", "always"));
        } else {
            command.addAll(List.of("--appendonly", "no"));
        }
        starts++;
        process = ChildProcess.start("redis-" + port + "-" + starts, command, Map.of(), READY,
                Duration.ofSeconds(30), logs);
    }

    /**
     * @return the port
     */
    public int port() {
        return port;
    }

    /**
     * @return {@code 127.0.0.1:port}, the form of {@code REDIS_HOST} that KEDA's {@code addressFromEnv} reads
     */
    public String address() {
        return "127.0.0.1:" + port;
    }

    /**
     * Stops the server gracefully (SIGTERM: it flushes and exits) and waits for it.
     */
    public void stop() throws InterruptedException {
        process.sigterm();
        process.awaitExit(Duration.ofSeconds(30));
    }

    /**
     * Starts it again on the same port and directory (after {@link #stop()}).
     */
    public void startAgain() throws IOException {
        launch();
    }

    /** Stops and starts again. */
    public void restart() throws IOException, InterruptedException {
        stop();
        startAgain();
    }

    /** Stops the server. */
    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
