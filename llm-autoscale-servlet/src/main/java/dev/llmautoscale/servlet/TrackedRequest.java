package dev.llmautoscale.servlet;

import dev.llmautoscale.tracking.InferenceSpan;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A tracked request as the application sees it: its body unchanged (peeked bytes replayed), and
 * {@link #startAsync()} hooked so that the tracking listener is attached the moment asynchronous processing starts
 * and the {@link jakarta.servlet.AsyncContext} hands out the tracking response.
 */
final class TrackedRequest extends HttpServletRequestWrapper {

    private static final int NONE = 0;
    private static final int STREAM = 1;
    private static final int READER = 2;

    private @Nullable TrackedResponse response;
    private @Nullable InferenceSpan span;
    private @Nullable ReplayInputStream replay;
    private @Nullable BufferedReader reader;
    private int mode = NONE;

    TrackedRequest(HttpServletRequest request) {
        super(request);
    }

    void tracked(TrackedResponse tracked, InferenceSpan inference) {
        this.response = tracked;
        this.span = inference;
    }

    /**
     * Answers {@link InferenceTrackingFilter#SPAN_ATTRIBUTE} with the span without storing it in the container's
     * attribute map (no map entry per request).
     */
    @Override
    public @Nullable Object getAttribute(String name) {
        if (span != null && InferenceTrackingFilter.SPAN_ATTRIBUTE.equals(name)) {
            return span;
        }
        return super.getAttribute(name);
    }

    /**
     * Reads up to {@code max} bytes of the body and looks for the top-level JSON {@code model} field; the bytes are
     * replayed to the application afterwards.
     *
     * @param max the most bytes to read
     * @return the model name, or {@code null}
     */
    @Nullable String peekModel(int max) {
        HttpServletRequest request = (HttpServletRequest) getRequest();
        long declared = request.getContentLengthLong();
        int limit = declared > 0 ? (int) Math.min(declared, max) : max;
        byte[] buf = new byte[declared > 0 ? limit : Math.min(limit, 4096)];
        int n = 0;
        boolean atEnd = false;
        IOException failure = null;
        ServletInputStream in;
        try {
            in = request.getInputStream();
        } catch (IOException | IllegalStateException e) {
            return null; // the body was already consumed (by an earlier filter) or cannot be read: leave it alone
        }
        try {
            while (n < limit) {
                if (n == buf.length) {
                    buf = Arrays.copyOf(buf, Math.min(limit, buf.length * 2));
                }
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    atEnd = true;
                    break;
                }
                n += r;
            }
        } catch (IOException e) {
            failure = e;
        }
        replay = new ReplayInputStream(in, buf, n, atEnd, failure);
        return failure == null ? JsonBodies.findModel(buf, n) : null;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        if (replay == null) {
            return super.getInputStream();
        }
        if (mode == READER) {
            throw new IllegalStateException("getReader() has already been called for this request");
        }
        mode = STREAM;
        return replay;
    }

    @Override
    public BufferedReader getReader() throws IOException {
        if (replay == null) {
            return super.getReader();
        }
        if (mode == STREAM) {
            throw new IllegalStateException("getInputStream() has already been called for this request");
        }
        if (reader == null) {
            reader = new BufferedReader(new InputStreamReader(replay, charset()));
            mode = READER;
        }
        return reader;
    }

    private Charset charset() throws UnsupportedEncodingException {
        String name = getCharacterEncoding();
        if (name == null) {
            name = getServletContext().getRequestCharacterEncoding();
        }
        if (name == null) {
            return StandardCharsets.ISO_8859_1; // the Servlet specification's default, as the container would use
        }
        try {
            return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new UnsupportedEncodingException(name);
        }
    }

    @Override
    public AsyncContext startAsync() {
        // Hand the tracking wrappers to the AsyncContext, so writes made through AsyncContext#getResponse() count.
        return startAsync(this, response);
    }

    @Override
    public AsyncContext startAsync(ServletRequest request, ServletResponse servletResponse) {
        AsyncContext context = super.startAsync(request, servletResponse);
        response.asyncStarted(context);
        return context;
    }
}
