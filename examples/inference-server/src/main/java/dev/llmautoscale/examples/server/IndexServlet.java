package dev.llmautoscale.examples.server;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** {@code GET /}: the same text the server prints at start (what it is, what to try). */
final class IndexServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient Supplier<String> text;

    IndexServlet(Supplier<String> text) {
        this.text = text;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        byte[] body = text.get().getBytes(StandardCharsets.UTF_8);
        resp.setContentType("text/plain;charset=utf-8");
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
