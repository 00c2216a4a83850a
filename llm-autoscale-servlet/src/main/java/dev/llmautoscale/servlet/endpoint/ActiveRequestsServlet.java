package dev.llmautoscale.servlet.endpoint;

import dev.llmautoscale.tracking.InferenceTracker;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * {@code GET /active_requests}: {@code text/plain}, the bare integer of requests in flight, running plus queued, so
 * that the guide's preStop loop {@code [ $(curl -s localhost:8000/active_requests) -eq 0 ]} also waits for queued
 * work. The queue is read before the running count: a request moving from the queue to running between the two
 * reads is counted twice rather than missed, so the answer is never a false zero.
 */
public final class ActiveRequestsServlet extends HttpServlet {

    private final InferenceTracker tracker;

    /**
     * @param tracker whose counts to report
     */
    public ActiveRequestsServlet(InferenceTracker tracker) {
        this.tracker = Objects.requireNonNull(tracker, "tracker");
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        int queued = tracker.queuedRequests();
        int running = tracker.activeRequests();
        byte[] body = Integer.toString(queued + running).getBytes(StandardCharsets.US_ASCII);
        resp.setStatus(200);
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentType("text/plain;charset=utf-8");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
