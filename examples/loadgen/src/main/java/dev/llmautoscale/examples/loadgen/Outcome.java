package dev.llmautoscale.examples.loadgen;

/** How one request ended, as the summary counts it. */
public enum Outcome {
    /** HTTP 200 with a complete answer (a streamed one ended with {@code data: [DONE]}). */
    OK,
    /** HTTP 429: the server refused the request for overload (admission queue full or wait too long). */
    TOO_MANY_REQUESTS,
    /** HTTP 503: the server refused the request (draining, model loading). */
    UNAVAILABLE,
    /** Any other HTTP status. */
    OTHER_STATUS,
    /** No usable answer: connection failure, timeout, or a 200 whose stream broke off or carried an error. */
    ERROR,
    /** Not sent: the client already had {@code --max-in-flight} requests outstanding. */
    DROPPED
}
