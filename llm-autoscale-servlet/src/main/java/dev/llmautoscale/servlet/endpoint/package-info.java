/**
 * The bare HTTP endpoints the servlet module registers next to the application: liveness and readiness probes,
 * the running-plus-queued count, the KEDA metrics-api document, the Prometheus scrape, {@code POST /drain}, and the
 * separate metrics server, with the settings ({@link dev.llmautoscale.servlet.endpoint.EndpointKeys}) that place or
 * switch off each of them.
 */
@NullMarked
package dev.llmautoscale.servlet.endpoint;

import org.jspecify.annotations.NullMarked;
