/**
 * Admission control settings and refusals: {@link dev.llmautoscale.admission.AdmissionLimits},
 * {@link dev.llmautoscale.admission.AdmissionRejectedException}, {@link dev.llmautoscale.admission.RejectionReason}.
 */
@NullMarked
package dev.llmautoscale.admission;

import org.jspecify.annotations.NullMarked;
