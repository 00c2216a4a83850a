/**
 * The key vocabulary: {@link dev.llmautoscale.settings.Setting} (one key, type, default, validation and description
 * per setting), {@link dev.llmautoscale.settings.SettingsReader} over a
 * {@link dev.llmautoscale.settings.SettingsSource}, and {@link dev.llmautoscale.settings.InvalidSettingsException}
 * naming every bad key. The settings themselves are declared next to their records ({@code AdmissionKeys},
 * {@code MetricsKeys}, {@code GpuKeys}, {@code LifecycleKeys}).
 */
@NullMarked
package dev.llmautoscale.settings;

import org.jspecify.annotations.NullMarked;
