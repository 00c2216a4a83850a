package dev.llmautoscale.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A program the tests start as its own process (a shaded example jar, {@code redis-server}, {@code prometheus}), its
 * output copied to a log file and kept in memory, and a line the tests wait for (such as the one that reports the
 * ports). {@link #close()} kills what is still running.
 */
public final class ChildProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Matcher> ready = new CompletableFuture<>();
    private final Pattern readyLine;

    private ChildProcess(String name, Process process, Pattern readyLine, Path log) {
        this.name = name;
        this.process = process;
        this.readyLine = readyLine;
        Thread reader = new Thread(() -> pump(log), name + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts a command and waits for the line that says it is up.
     *
     * @param name a short name, for the log file ({@code <logs>/<name>.log}) and messages
     * @param command the command line
     * @param env extra environment variables
     * @param readyLine the line to wait for (its groups are read with {@link #ready()})
     * @param timeout how long to wait for it
     * @param logs the directory of the log file
     * @return the running process
     * @throws AssertionError when it exits or does not print the line in time (with its output)
     * @throws IOException when it cannot be started
     */
    public static ChildProcess start(String name, List<String> command, Map<String, String> env, Pattern readyLine,
            Duration timeout, Path logs) throws IOException {
        Files.createDirectories(logs);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        ChildProcess p = new ChildProcess(name, pb.start(), readyLine, logs.resolve(name + ".log"));
        try {
            p.ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.close();
            throw new AssertionError("interrupted while starting " + name);
        } catch (ExecutionException | TimeoutException e) {
            p.close();
            throw new AssertionError(name + " did not print a line matching /" + readyLine + "/ within "
                    + timeout.toSeconds() + " s (" + e.getMessage() + "); output:\n" + p.output());
        }
        return p;
    }

    /**
     * The command that runs a jar on this JVM's java, small and quick to start.
     *
     * @param jar the jar
     * @param args its arguments
     * @return the command line
     */
    public static List<String> javaJar(Path jar, String... args) {
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError("the jar " + jar + " is missing: build it first (mvn verify builds every module"
                    + " in order)");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:+UseSerialGC", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
        command.addAll(List.of(args));
        return command;
    }

    private void pump(Path log) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); PrintWriter w = new PrintWriter(Files.newBufferedWriter(log,
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
                w.println(line);
                w.flush();
                if (!ready.isDone()) {
                    Matcher m = readyLine.matcher(line);
                    if (m.find()) {
                        ready.complete(m);
                    }
                }
            }
        } catch (IOException e) {
            lines.add("(output reader failed: " + e + ")");
        }
        ready.completeExceptionally(new IllegalStateException(name + " exited with "
                + exitCodeOrAlive()));
    }

    private String exitCodeOrAlive() {
        try {
            return process.waitFor(1, TimeUnit.SECONDS) ? "status " + process.exitValue() : "its output closed";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown status";
        }
    }

    /**
     * @return the match of the ready line
     */
    public Matcher ready() {
        return ready.join();
    }

    /**
     * @return everything printed so far
     */
    public String output() {
        return String.join("\n", lines);
    }

    /**
     * @param text a fragment
     * @return how many output lines contain it
     */
    public long linesContaining(String text) {
        return lines.stream().filter(l -> l.contains(text)).count();
    }

    /**
     * @return the process
     */
    public Process process() {
        return process;
    }

    /**
     * @return whether it runs
     */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Sends SIGTERM without closing the output (which {@link Process#destroy()} would). */
    public void sigterm() {
        process.toHandle().destroy();
    }

    /** Sends SIGKILL. */
    public void sigkill() {
        process.toHandle().destroyForcibly();
    }

    /**
     * @param timeout the longest wait
     * @return the exit status
     * @throws AssertionError when it is still running after the timeout
     */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " still runs after " + timeout.toSeconds() + " s; output:\n" + output());
        }
        return process.exitValue();
    }

    /** Kills the process if it still runs, and waits for it. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }
}
