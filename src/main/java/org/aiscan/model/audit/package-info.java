/**
 * The audit's result as immutable values: per host the scanned endpoints next to what the host's
 * firewall predicts for them ({@link org.aiscan.model.audit.Prediction}, with the walk that says
 * why), the listeners beyond the scan, the vantages and what each reaches, and what a remediation
 * bundle needs to know of the host ({@link org.aiscan.model.audit.HostSummary}).
 *
 * <p>This package depends on {@code model} only. The audit computes these values; {@code report}
 * and {@code remediate} read them and nothing of the audit or of the parsed snapshot.
 */
@NullMarked
package org.aiscan.model.audit;

import org.jspecify.annotations.NullMarked;
