/**
 * The example Spring Boot 4 server: the SIMULATED engine and the OpenAI-compatible endpoints of the Jetty example, with
 * llm-autoscale wired by the Spring Boot starter (metrics on Boot's Prometheus registry, readiness, drain on
 * shutdown, the servlet filter and bare endpoints). Configured by the same environment variables.
 */
package dev.llmautoscale.examples.spring;
