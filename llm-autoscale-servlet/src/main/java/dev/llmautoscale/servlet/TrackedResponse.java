package dev.llmautoscale.servlet;

import dev.llmautoscale.tracking.InferenceSpan;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The response of one tracked request, and the end of its span.
 *
 * <p>It marks the first token when the first body bytes are flushed to the client (an explicit flush, the buffer
 * filling up and committing the response, or the end of the request for a response written at once), notices a
 * client that went away (an {@link IOException} from a write or flush, or a writer's error flag), collects token
 * counts the application reports in headers or trailers, and ends the span exactly once: when the filter chain
 * returns, or for an asynchronous request when its {@link AsyncListener} reports complete, error or timeout.
 */
final class TrackedResponse extends HttpServletResponseWrapper implements AsyncListener {

    private static final VarHandle FINISHED;

    static {
        try {
            FINISHED = MethodHandles.lookup().findVarHandle(TrackedResponse.class, "finished", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final InferenceTrackingFilter filter;
    private final InferenceSpan span;
    private final HttpServletRequest request;
    private @Nullable TrackedOutputStream out;
    private @Nullable TrackedWriter writer;
    private volatile boolean firstToken;
    private volatile boolean bodyPending;
    private volatile boolean clientGone;
    private volatile boolean listening;
    private volatile long promptHeader = -1;
    private volatile long completionHeader = -1;
    private volatile @Nullable Supplier<@Nullable Map<String, String>> trailerSource;
    private @Nullable Map<String, String> trailers;
    private boolean trailersRead;
    @SuppressWarnings("unused") // updated through FINISHED
    private volatile int finished;

    TrackedResponse(HttpServletResponse response, InferenceSpan span, HttpServletRequest request,
            InferenceTrackingFilter filter) {
        super(response);
        this.span = span;
        this.request = request;
        this.filter = filter;
    }

    // ---- body -------------------------------------------------------------------------------------------------

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        if (out == null) {
            out = new TrackedOutputStream(super.getOutputStream(), this);
        }
        return out;
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        if (writer == null) {
            writer = new TrackedWriter(super.getWriter(), this);
        }
        return writer;
    }

    @Override
    public void flushBuffer() throws IOException {
        try {
            super.flushBuffer();
        } catch (IOException e) {
            ioFailed();
            throw e;
        }
        flushed();
    }

    @Override
    public void resetBuffer() {
        super.resetBuffer();
        if (!firstToken) {
            bodyPending = false;
        }
    }

    @Override
    public void reset() {
        super.reset();
        if (!firstToken) {
            bodyPending = false;
        }
    }

    /** Body bytes were written; they reach the client when the response is (or becomes) committed. */
    void wrote() {
        if (!firstToken) {
            bodyPending = true;
            if (isCommitted()) {
                markFirstToken();
            }
        }
    }

    /** The body was flushed. */
    void flushed() {
        if (!firstToken && bodyPending) {
            markFirstToken();
        }
    }

    /** Writing to the client failed: the client went away. */
    void ioFailed() {
        clientGone = true;
    }

    private void markFirstToken() {
        firstToken = true;
        span.firstToken();
    }

    // ---- token counts in headers and trailers -------------------------------------------------------------------

    @Override
    public void setHeader(@Nullable String name, @Nullable String value) {
        capture(name, value);
        super.setHeader(name, value);
    }

    @Override
    public void addHeader(@Nullable String name, @Nullable String value) {
        capture(name, value);
        super.addHeader(name, value);
    }

    @Override
    public void setIntHeader(@Nullable String name, int value) {
        capture(name, value);
        super.setIntHeader(name, value);
    }

    @Override
    public void addIntHeader(@Nullable String name, int value) {
        capture(name, value);
        super.addIntHeader(name, value);
    }

    private void capture(@Nullable String name, @Nullable Object value) {
        if (name == null) {
            return;
        }
        int len = name.length();
        if (len == InferenceTrackingFilter.PROMPT_TOKENS_HEADER.length()
                && name.equalsIgnoreCase(InferenceTrackingFilter.PROMPT_TOKENS_HEADER)) {
            promptHeader = count(value);
        } else if (len == InferenceTrackingFilter.COMPLETION_TOKENS_HEADER.length()
                && name.equalsIgnoreCase(InferenceTrackingFilter.COMPLETION_TOKENS_HEADER)) {
            completionHeader = count(value);
        }
    }

    @Override
    public void setTrailerFields(@Nullable Supplier<@Nullable Map<String, String>> supplier) {
        synchronized (this) {
            trailerSource = supplier;
            trailersRead = false;
        }
        super.setTrailerFields(supplier == null ? null : this::trailers);
    }

    /** Calls the application's trailer supplier once, for the container and for the token counts alike. */
    private synchronized @Nullable Map<String, String> trailers() {
        if (!trailersRead && trailerSource != null) {
            trailersRead = true;
            trailers = trailerSource.get();
        }
        return trailers;
    }

    private long trailer(String name) {
        if (trailerSource == null) {
            return -1;
        }
        Map<String, String> fields;
        try {
            fields = trailers();
        } catch (RuntimeException e) {
            return -1;
        }
        if (fields == null) {
            return -1;
        }
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (name.equalsIgnoreCase(e.getKey())) {
                return count(e.getValue());
            }
        }
        return -1;
    }

    /**
     * @param value a token count: a {@link Number}, or text holding a whole number
     * @return the count, or -1 when absent or not a count
     */
    static long count(@Nullable Object value) {
        if (value instanceof Number) {
            long n = ((Number) value).longValue();
            return n >= 0 ? n : -1;
        }
        if (value instanceof String) {
            try {
                long n = Long.parseLong(((String) value).trim());
                return n >= 0 ? n : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }

    private void reportTokens() {
        long prompt = count(request.getAttribute(InferenceTrackingFilter.PROMPT_TOKENS_ATTRIBUTE));
        if (prompt < 0) {
            prompt = promptHeader;
        }
        if (prompt < 0) {
            prompt = trailer(InferenceTrackingFilter.PROMPT_TOKENS_HEADER);
        }
        if (prompt > 0) {
            span.promptTokens(prompt);
        }
        long completion = count(request.getAttribute(InferenceTrackingFilter.COMPLETION_TOKENS_ATTRIBUTE));
        if (completion < 0) {
            completion = completionHeader;
        }
        if (completion < 0) {
            completion = trailer(InferenceTrackingFilter.COMPLETION_TOKENS_HEADER);
        }
        long missing = completion - span.outputTokens();
        if (missing > 0) {
            span.tokens(missing);
        }
    }

    // ---- the end of the span ------------------------------------------------------------------------------------

    /**
     * Attaches the tracking listener when the application starts asynchronous processing.
     *
     * @param context the new asynchronous context
     */
    void asyncStarted(AsyncContext context) {
        if (!listening) {
            listening = true;
            context.addListener(this);
        }
    }

    /** The filter chain returned normally. */
    void chainReturned() {
        if (!awaitAsync()) {
            finish();
        }
    }

    /**
     * The filter chain threw.
     *
     * @param failure what it threw
     */
    void chainFailed(Throwable failure) {
        if (!awaitAsync()) {
            fail(failure, isClientAbort(failure));
        }
    }

    /** @return whether the request went asynchronous, so that the listener ends the span */
    private boolean awaitAsync() {
        if (listening) {
            return true;
        }
        if (request.isAsyncStarted()) {
            try {
                asyncStarted(request.getAsyncContext()); // started on an unwrapped request
                return true;
            } catch (IllegalStateException completedMeanwhile) {
                listening = false;
            }
        }
        return false;
    }

    /** Ends the span from the response status (or {@code cancelled} when the client went away). */
    void finish() {
        if (!FINISHED.compareAndSet(this, 0, 1)) {
            return;
        }
        if (bodyPending && !firstToken) {
            markFirstToken(); // a response written at once reaches the client now
        }
        try {
            reportTokens();
        } catch (RuntimeException e) {
            InferenceTrackingFilter.log.debug("Could not read token counts of a tracked request", e);
        }
        if (clientGone) {
            span.cancel();
            return;
        }
        int status = getStatus();
        if (status >= 400) {
            if (status < 500) {
                filter.clientError(span.model(), status);
            }
            span.failure(null);
        } else {
            span.success();
        }
    }

    private void fail(@Nullable Throwable failure, boolean clientAbort) {
        if (!FINISHED.compareAndSet(this, 0, 1)) {
            return;
        }
        if (clientGone || clientAbort) {
            span.cancel();
        } else {
            span.failure(failure);
        }
    }

    /**
     * Whether a failure thrown by the application is a client disconnect: Jetty's {@code EofException} (an
     * {@link EOFException}) or Tomcat's {@code ClientAbortException}.
     */
    private static boolean isClientAbort(Throwable t) {
        Throwable c = t;
        for (int depth = 0; c != null && depth < 8; depth++, c = c.getCause()) {
            if (c instanceof EOFException || c.getClass().getName().endsWith(".ClientAbortException")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void onComplete(AsyncEvent event) {
        finish();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        fail(null, true); // the asynchronous request timed out: nobody will receive the rest
    }

    @Override
    public void onError(AsyncEvent event) {
        Throwable t = event.getThrowable();
        fail(t, t instanceof IOException);
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        AsyncContext context = event.getAsyncContext();
        if (context != null) {
            context.addListener(this); // listeners are dropped when asynchronous processing restarts
        }
    }
}
