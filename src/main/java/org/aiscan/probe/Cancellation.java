package org.aiscan.probe;

import org.jspecify.annotations.Nullable;

/** A flag set once, from any thread (a signal handler, a deadline), and polled by engines. */
public final class Cancellation {
    private volatile @Nullable String reason;

    public void cancel(String why) {
        if (reason == null) {
            reason = why;
        }
    }

    public boolean isCancelled() {
        return reason != null;
    }

    /** Why the run was cancelled, or null. */
    public @Nullable String reason() {
        return reason;
    }
}
