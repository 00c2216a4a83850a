package dev.llmautoscale.lifecycle;

/** Where the lifecycle reads the amount of in-flight work while draining. */
public interface InFlight {

    /**
     * @return requests admitted and running
     */
    int running();

    /**
     * @return requests waiting for admission
     */
    int queued();
}
