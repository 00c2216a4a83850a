package dev.llmautoscale.examples.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A SIMULATED model cache on disk ({@code MODEL_DIR}): the guide's "persistent volume for model caching", filled by an
 * init container ({@code inference-server preload}) or by the first server that needs a model.
 *
 * <p>A model is cached when {@code <dir>/<model>/MODEL_READY} exists. A cold cache costs a simulated download
 * ({@code fetchTime}: the engine sleeps, as if the weights came from a model hub) before the usual load; a warm cache
 * costs only the load. A fetch writes into a private {@code .partial-*} directory and renames it into place in one
 * atomic step, so several pods filling the same shared volume at once never see a half-written model: one rename
 * wins, the others find the model already there and discard their copy.
 */
public final class ModelCache {

    private static final Logger log = LoggerFactory.getLogger(ModelCache.class);

    /** The file whose presence marks a complete model in the cache. */
    public static final String READY_FILE = "MODEL_READY";

    private static final ModelCache NONE = new ModelCache(null, Duration.ZERO);

    private final Path dir;
    private final Duration fetchTime;

    private ModelCache(Path dir, Duration fetchTime) {
        this.dir = dir;
        this.fetchTime = fetchTime;
    }

    /**
     * No cache ({@code MODEL_DIR} unset): every load takes the engine's model load time, nothing is fetched.
     *
     * @return the absent cache
     */
    public static ModelCache none() {
        return NONE;
    }

    /**
     * A cache directory.
     *
     * @param dir the directory (created on the first fetch when missing)
     * @param fetchTime how long the simulated download of one model takes when it is not cached
     * @return the cache
     */
    public static ModelCache at(Path dir, Duration fetchTime) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(fetchTime, "fetchTime");
        if (fetchTime.isNegative()) {
            throw new IllegalArgumentException("fetchTime must not be negative, got " + fetchTime);
        }
        return new ModelCache(dir, fetchTime);
    }

    /**
     * @return the directory, empty for {@link #none()}
     */
    public Optional<Path> directory() {
        return Optional.ofNullable(dir);
    }

    /**
     * @return the simulated download time of one model
     */
    public Duration fetchTime() {
        return fetchTime;
    }

    /**
     * @param model a model name
     * @return where the model lives in the cache
     * @throws IllegalStateException for {@link #none()}
     */
    public Path modelPath(String model) {
        if (dir == null) {
            throw new IllegalStateException("no model cache (MODEL_DIR is not set)");
        }
        return dir.resolve(directoryName(model));
    }

    /**
     * @param model a model name
     * @return whether the model is complete in the cache; always false for {@link #none()}
     */
    public boolean isWarm(String model) {
        return dir != null && Files.isRegularFile(modelPath(model).resolve(READY_FILE));
    }

    /** What {@link #ensure(String)} found. */
    public enum Outcome {
        /** No cache configured: nothing to fetch. */
        NO_CACHE,
        /** The model was already in the cache. */
        WARM,
        /** The model was not there and was fetched (simulated download) into it. */
        FETCHED
    }

    /**
     * Makes sure the model is in the cache: returns at once when it is, otherwise runs the simulated download (sleeps
     * {@link #fetchTime()}) and writes the model into the cache atomically.
     *
     * @param model a model name
     * @return what was found
     * @throws InterruptedException when interrupted during the download (nothing is left in the cache)
     * @throws UncheckedIOException when the directory cannot be written, naming it
     */
    public Outcome ensure(String model) throws InterruptedException {
        if (dir == null) {
            return Outcome.NO_CACHE;
        }
        if (isWarm(model)) {
            log.info("[SIMULATED] Model cache {}: '{}' is cached (warm), no download", dir, model);
            return Outcome.WARM;
        }
        Path target = modelPath(model);
        log.info("[SIMULATED] Model cache {}: '{}' is not cached (cold); downloading it for {} ms", dir, model,
                fetchTime.toMillis());
        Path partial;
        try {
            Files.createDirectories(dir);
            partial = Files.createTempDirectory(dir, ".partial-" + directoryName(model) + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("MODEL_DIR " + dir + " cannot be written: " + e.getMessage(), e);
        }
        try {
            Thread.sleep(fetchTime.toMillis());
            Files.writeString(partial.resolve("config.json"), "{\"model\":\"" + model.replace("\"", "'")
                    + "\",\"simulated\":true}\n", StandardCharsets.UTF_8);
            Files.writeString(partial.resolve(READY_FILE), "fetched " + Instant.now() + " by "
                    + UUID.randomUUID() + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileSystemException lostRace) {
                // rename(2) onto a complete model fails with ENOTEMPTY (reported as a plain FileSystemException)
                if (!isWarm(model)) {
                    throw new IOException("cannot move " + partial + " to " + target + ": " + lostRace, lostRace);
                }
                log.info("[SIMULATED] Model cache {}: another process cached '{}' first; keeping its copy", dir,
                        model);
            }
            log.info("[SIMULATED] Model cache {}: '{}' cached in {}", dir, model, target);
            return Outcome.FETCHED;
        } catch (IOException e) {
            throw new UncheckedIOException("MODEL_DIR " + dir + " cannot be written: " + e.getMessage(), e);
        } finally {
            deleteQuietly(partial);
        }
    }

    /**
     * The cache directory name of a model: its name with every character outside {@code [A-Za-z0-9._-]} replaced by
     * {@code _} ({@code meta-llama/Llama-2-13b-chat-hf} becomes {@code meta-llama_Llama-2-13b-chat-hf}).
     *
     * @param model a model name
     * @return the directory name
     */
    public static String directoryName(String model) {
        String safe = model.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.startsWith(".") ? "_" + safe.substring(1) : safe;
    }

    private static void deleteQuietly(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            walk.sorted(Comparator.reverseOrder()).forEach(x -> {
                try {
                    Files.deleteIfExists(x);
                } catch (IOException e) {
                    log.warn("Model cache: cannot delete {}: {}", x, e.getMessage());
                }
            });
        } catch (IOException e) {
            log.warn("Model cache: cannot delete {}: {}", p, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return dir == null ? "no model cache" : "model cache " + dir + " (cold fetch " + fetchTime.toMillis() + " ms)";
    }
}
