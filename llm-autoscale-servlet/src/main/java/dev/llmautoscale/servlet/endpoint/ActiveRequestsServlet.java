package dev.llmautoscale.servlet.endpoint;

import dev.llmautoscale.LlmAutoscale;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * {@code GET /active_requests}: {@code text/plain}, the bare integer of requests in flight, running plus queued, so
 * that the guide's preStop loop {@code [ $(curl -s localhost:8000/active_requests) -eq 0 ]} also waits for queued
 * work. The figure is {@link LoadSnapshot#inFlight()}, which reads each model's queue before its running count: a
 * request moving from the queue to running meanwhile is counted twice rather than missed, never a false zero.
 */
public final class ActiveRequestsServlet extends HttpServlet {

    private final LlmAutoscale autoscale;

    /**
     * @param autoscale whose load to report
     */
    public ActiveRequestsServlet(LlmAutoscale autoscale) {
        this.autoscale = Objects.requireNonNull(autoscale, "autoscale");
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        byte[] body = Integer.toString(autoscale.load().inFlight()).getBytes(StandardCharsets.US_ASCII);
        resp.setStatus(200);
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentType("text/plain;charset=utf-8");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
