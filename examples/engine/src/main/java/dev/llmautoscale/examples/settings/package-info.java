/** The example servers' configuration, read from environment variables as in the guide. */
package dev.llmautoscale.examples.settings;
