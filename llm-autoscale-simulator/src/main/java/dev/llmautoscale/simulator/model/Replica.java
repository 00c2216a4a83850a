package dev.llmautoscale.simulator.model;

import dev.llmautoscale.simulator.config.FleetConfig;
import java.util.ArrayDeque;

/**
 * One inference server as the example server behaves, request by request: admission control (up to
 * {@code maxConcurrency} admitted, a FIFO queue of {@code queueCapacity}, 429 when full or after
 * {@code maxQueueWaitSeconds}), then the engine's continuous batching (sequences join the batch at a step boundary
 * while there is a slot and KV-cache room for prompt + max output; a step decodes one token for every sequence and
 * lasts {@code decode × (1 + slowdown × (batch − 1))} plus the prefill of the sequences that joined in it).
 *
 * <p>Time only moves forward through {@link #advanceTo}; between events the engine skips identical steps in bulk,
 * so the cost is proportional to requests, not to engine steps. No allocation beyond the {@link Request}s.
 */
public final class Replica {

    private final FleetConfig.Server cfg;
    private final RequestSink sink;
    private final double decodeSeconds;
    private final double slowdown;
    private final double prefillSecondsPerToken;
    private final ArrayDeque<Request> queue = new ArrayDeque<>();
    private final ArrayDeque<Request> engineWaiting = new ArrayDeque<>();
    private final Request[] batch;
    private int batchSize;
    private int inFlight;
    private long reservedTokens;
    private long stepIndex;
    private double stepStart;
    private double stepDuration;
    private boolean engineBusy;
    private boolean joinedThisStep;
    private double now;
    private double busyAccum;
    private double busySince;
    private boolean draining;
    private boolean loaded;
    private long successes;
    private long rejections;
    private long promptTokensTotal;
    private long generationTokensTotal;

    /**
     * @param cfg  the server settings
     * @param sink receives every request this replica finishes, refuses or loses
     */
    public Replica(FleetConfig.Server cfg, RequestSink sink) {
        this.cfg = cfg;
        this.sink = sink;
        this.decodeSeconds = cfg.decodeMsPerToken() / 1000;
        this.slowdown = cfg.batchSlowdown();
        this.prefillSecondsPerToken = cfg.prefillMsPerToken() / 1000;
        this.batch = new Request[cfg.maxBatchSize()];
    }

    /**
     * @param isLoaded whether the model is loaded (before, requests get 503 model_loading)
     */
    public void setLoaded(boolean isLoaded) {
        this.loaded = isLoaded;
    }

    /** Starts the drain: new requests get 503; admitted and queued ones go on. */
    public void startDrain() {
        this.draining = true;
    }

    /**
     * Offers a request arriving at its arrival time (call {@link #advanceTo} with that time first).
     *
     * @param r the request
     */
    public void offer(Request r) {
        double t = r.arrival;
        if (draining || !loaded) {
            finish(r, Request.UNAVAILABLE, t);
            if (draining) {
                rejections++;
            }
            return;
        }
        if ((long) r.promptTokens + r.maxTokens > cfg.maxModelLength()) {
            finish(r, Request.INVALID, t);
            return;
        }
        if (inFlight < cfg.maxConcurrency() && queue.isEmpty()) {
            admit(r, t);
            if (!engineBusy) {
                startStep(t);
            }
        } else if (queue.size() < cfg.queueCapacity() && cfg.maxQueueWaitSeconds() > 0) {
            queue.addLast(r);
        } else {
            rejections++;
            finish(r, Request.REJECTED, t);
        }
    }

    private void admit(Request r, double t) {
        r.admitted = t;
        inFlight++;
        engineWaiting.addLast(r);
    }

    /**
     * Runs the replica up to time {@code t}: engine steps that end by then, finishes, promotions from the queue and
     * queue timeouts before then.
     *
     * @param t the time, not before the last call
     */
    public void advanceTo(double t) {
        if (t <= now) {
            return;
        }
        while (engineBusy) {
            double end = stepStart + stepDuration;
            if (end > t) {
                break;
            }
            expireQueue(end);
            completeStep(end);
            startStep(end);
            if (engineBusy && batchSize > 0 && !canJoin()) {
                skipQuietSteps(t);
            }
        }
        expireQueue(t);
        now = t;
    }

    /** Skips whole steps in which nothing can change: no sequence finishes and none can join. */
    private void skipQuietSteps(double t) {
        long minFinish = Long.MAX_VALUE;
        for (int i = 0; i < batchSize; i++) {
            minFinish = Math.min(minFinish, batch[i].finishStep);
        }
        double d = plainStep();
        // Steps stepIndex .. minFinish-1 end without a finish; keep the step in progress at t (and the finishing
        // one) for the main loop.
        long quiet = minFinish - stepIndex;
        if (quiet <= 0 || joinedThisStep || stepDuration != d) {
            return;
        }
        long fit = (long) Math.floor((t - stepStart) / d);
        long k = Math.min(quiet, fit);
        if (k <= 0) {
            return;
        }
        stepIndex += k;
        stepStart += k * d;
    }

    private boolean canJoin() {
        Request head = engineWaiting.peekFirst();
        return head != null && batchSize < batch.length
                && reservedTokens + head.promptTokens + head.maxTokens <= cfg.kvCacheTokens();
    }

    private double plainStep() {
        return decodeSeconds * (1 + slowdown * Math.max(0, batchSize - 1));
    }

    private void startStep(double t) {
        long prefill = 0;
        joinedThisStep = false;
        while (canJoin()) {
            joinedThisStep = true;
            Request r = engineWaiting.pollFirst();
            r.finishStep = stepIndex + r.maxTokens - 1;
            batch[batchSize++] = r;
            reservedTokens += r.promptTokens + r.maxTokens;
            prefill += r.promptTokens;
        }
        if (batchSize == 0) {
            if (engineBusy) {
                busyAccum += t - busySince;
                engineBusy = false;
            }
            return;
        }
        if (!engineBusy) {
            engineBusy = true;
            busySince = t;
        }
        stepStart = t;
        stepDuration = plainStep() + prefill * prefillSecondsPerToken;
    }

    private void completeStep(double end) {
        long step = stepIndex;
        int kept = 0;
        for (int i = 0; i < batchSize; i++) {
            Request r = batch[i];
            if (Double.isNaN(r.firstToken)) {
                r.firstToken = end;
            }
            if (r.finishStep <= step) {
                reservedTokens -= r.promptTokens + r.maxTokens;
                inFlight--;
                successes++;
                promptTokensTotal += r.promptTokens;
                generationTokensTotal += r.maxTokens;
                finish(r, Request.SERVED, end);
            } else {
                batch[kept++] = r;
            }
        }
        for (int i = kept; i < batchSize; i++) {
            batch[i] = null;
        }
        batchSize = kept;
        stepIndex++;
        while (inFlight < cfg.maxConcurrency() && !queue.isEmpty()) {
            admit(queue.pollFirst(), end);
        }
    }

    private void expireQueue(double t) {
        double maxWait = cfg.maxQueueWaitSeconds();
        Request head;
        while ((head = queue.peekFirst()) != null && head.arrival + maxWait < t) {
            queue.pollFirst();
            rejections++;
            finish(head, Request.REJECTED, head.arrival + maxWait);
        }
    }

    private void finish(Request r, int outcome, double t) {
        r.outcome = outcome;
        r.finished = t;
        sink.finished(r);
    }

    /**
     * The process stops: everything queued, waiting or running is lost.
     *
     * @param t the time
     * @return how many requests were lost
     */
    public int kill(double t) {
        advanceTo(t);
        int lost = 0;
        Request r;
        while ((r = queue.pollFirst()) != null) {
            finish(r, Request.LOST, t);
            lost++;
        }
        while ((r = engineWaiting.pollFirst()) != null) {
            finish(r, Request.LOST, t);
            lost++;
        }
        for (int i = 0; i < batchSize; i++) {
            finish(batch[i], Request.LOST, t);
            batch[i] = null;
            lost++;
        }
        batchSize = 0;
        inFlight = 0;
        reservedTokens = 0;
        if (engineBusy) {
            busyAccum += t - busySince;
            engineBusy = false;
        }
        return lost;
    }

    /** @return requests waiting for admission ({@code llm_inference_queue_depth}) */
    public int queueDepth() {
        return queue.size();
    }

    /** @return requests admitted (in the batch or waiting for a slot: {@code llm_active_requests}) */
    public int inFlight() {
        return inFlight;
    }

    /** @return sequences in the running batch */
    public int batchSize() {
        return batchSize;
    }

    /** @return admitted + queued, what {@code /active_requests} answers */
    public int activeRequests() {
        return inFlight + queue.size();
    }

    /** @return KV-cache tokens held (prompts and tokens produced of the batch) / budget */
    public double kvCacheUtilization() {
        long held = 0;
        for (int i = 0; i < batchSize; i++) {
            Request r = batch[i];
            held += r.promptTokens + Math.max(0, stepIndex - (r.finishStep - r.maxTokens + 1));
        }
        return (double) held / cfg.kvCacheTokens();
    }

    /**
     * @param t a time not after the last {@link #advanceTo}
     * @return seconds the engine was busy from the start until t
     */
    public double busySeconds(double t) {
        return busyAccum + (engineBusy ? Math.max(0, t - busySince) : 0);
    }

    /** @return requests completed ({@code status="success"}) */
    public long successes() {
        return successes;
    }

    /** @return requests refused by admission or while draining ({@code status="rejected"}) */
    public long rejections() {
        return rejections;
    }

    /** @return prompt tokens of completed requests */
    public long promptTokens() {
        return promptTokensTotal;
    }

    /** @return output tokens of completed requests */
    public long generationTokens() {
        return generationTokensTotal;
    }
}
