package dev.llmautoscale.servlet;

import dev.llmautoscale.servlet.endpoint.ErrorBody;
import dev.llmautoscale.tracking.InferenceSpan;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * A tracked request waiting in the admission queue while suspended (servlet async): no container thread waits for
 * it. When the core's admission completes (admitted, refused, timed out) it is dispatched again, and the filter
 * resumes it on the container thread of that dispatch. If the client goes away, or the container's async timeout
 * (a safety net behind max-queue-wait) fires first, the admission is cancelled: the core takes it out of the queue,
 * counts it as cancelled, and gives back a slot granted at the same moment.
 *
 * @param request the container's request
 * @param wrapped the tracking wrapper (it holds the peeked body bytes), handed to the dispatch
 * @param admission the core's admission
 */
record QueuedRequest(HttpServletRequest request, TrackedRequest wrapped, CompletableFuture<InferenceSpan> admission)
        implements AsyncListener, BiConsumer<@Nullable InferenceSpan, @Nullable Throwable> {

    /** Request attribute holding the queued request between its suspension and its resumption. */
    static final String ATTRIBUTE = QueuedRequest.class.getName();

    void suspend(AsyncContext async, long timeoutMillis) {
        async.setTimeout(timeoutMillis);
        async.addListener(this);
        request.setAttribute(ATTRIBUTE, this);
        admission.whenComplete(this);
    }

    /** The admission completed: resume on a container thread (unless it was cancelled here, after an error). */
    @Override
    public void accept(@Nullable InferenceSpan span, @Nullable Throwable failure) {
        if (failure instanceof CancellationException) {
            return;
        }
        AsyncContext async = request.getAsyncContext();
        try {
            async.dispatch();
        } catch (IllegalStateException completedMeanwhile) {
            // the client went away at the same moment: give the slot back
            if (span != null) {
                span.cancel();
                span.close();
            }
        }
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        if (admission.cancel(false)) {
            request.removeAttribute(ATTRIBUTE);
            InferenceTrackingFilter.send((HttpServletResponse) event.getAsyncContext().getResponse(), 503, -1, false,
                    ErrorBody.of("The request waited in the queue past the container's async timeout",
                            "unavailable_error", "cancelled"));
            event.getAsyncContext().complete();
        }
    }

    @Override
    public void onError(AsyncEvent event) {
        if (admission.cancel(false)) {
            request.removeAttribute(ATTRIBUTE);
            event.getAsyncContext().complete();
        }
    }

    @Override
    public void onComplete(AsyncEvent event) {
        admission.cancel(false); // no-op once admitted; a request completed while queued leaves the queue
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // the application started async processing in the resumed dispatch; the tracking listener takes over
    }
}
