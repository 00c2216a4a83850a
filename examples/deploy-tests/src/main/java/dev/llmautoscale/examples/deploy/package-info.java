/**
 * Checks of the Kubernetes manifests in deploy/, shared by this module's tests and by the inference server's
 * end-to-end test: loading every YAML document, finding the PromQL and the metric names it reads, comparing them with
 * a scrape, scripting the fake NVML driver, and running promtool.
 */
package dev.llmautoscale.examples.deploy;
