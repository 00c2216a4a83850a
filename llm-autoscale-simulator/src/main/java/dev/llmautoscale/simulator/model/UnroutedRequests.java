package dev.llmautoscale.simulator.model;

/** Requests refused before reaching any pod: the Service has no ready endpoint (HTTP 503). */
public final class UnroutedRequests {

    private UnroutedRequests() {
    }

    /** @param r a request arriving while no pod is an endpoint; marked unavailable at its arrival */
    public static void refuse(Request r) {
        r.outcome = Request.UNAVAILABLE;
        r.finished = r.arrival;
    }
}
