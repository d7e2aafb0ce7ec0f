/**
 * The probe stage's contract: a {@link org.aiscan.probe.ProbeEngine} walks a
 * {@link org.aiscan.target.ScanPlan} and reports one {@link org.aiscan.model.PortResult} per probe.
 * Shared parts live here: packet pacing ({@link org.aiscan.probe.RateLimiter}), adaptive timeouts
 * ({@link org.aiscan.probe.Timing}), live counters ({@link org.aiscan.probe.ScanProgress}) and the
 * last-line safety check every engine makes on each destination ({@link org.aiscan.target.TargetGuard}).
 * Implementations: {@code probe.connect} (kernel TCP) and {@code probe.syn} (raw frames).
 */
@NullMarked
package org.aiscan.probe;

import org.jspecify.annotations.NullMarked;
