package org.aiscan.probe.syn;

import org.aiscan.probe.Cancellation;
import org.aiscan.probe.ScanProgress;
import org.aiscan.target.ScanPlan;
import org.aiscan.target.TargetGuard;

/**
 * One run of the SYN engine as its parts see it: the plan, the interface's addresses and next hops,
 * the guard every destination passes, the state the send and receive threads share, the clock, the
 * live counters and the cancellation flag.
 */
record SynRun(ScanPlan plan, SynSupport.Setup setup, TargetGuard guard, SynState state, Ticker ticker, ScanProgress progress,
              Cancellation cancel) {

    /** Cancelled, or a send or receive thread failed: every loop ends. */
    boolean stopped() {
        return cancel.isCancelled() || state.failed();
    }
}
