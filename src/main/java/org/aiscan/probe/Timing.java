package org.aiscan.probe;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Adaptive probe timeouts. Until an answer has been timed, a probe waits the maximum; after that it
 * waits {@code FACTOR ×} the slowest round trip seen so far, clamped to [min, max]. A retry waits twice
 * as long as the attempt before it, so a host slower than the rest still gets its chance. Thread-safe.
 */
public final class Timing {
    static final int FACTOR = 4;

    private final long minNanos;
    private final long maxNanos;
    private final AtomicLong slowestNanos = new AtomicLong(-1);

    public Timing(int minMillis, int maxMillis) {
        this.minNanos = minMillis * 1_000_000L;
        this.maxNanos = maxMillis * 1_000_000L;
    }

    /** Records one measured round trip. */
    public void sample(long rttNanos) {
        if (rttNanos < 0) {
            return;
        }
        long cur;
        do {
            cur = slowestNanos.get();
            if (cur >= rttNanos) {
                return;
            }
        } while (!slowestNanos.compareAndSet(cur, rttNanos));
    }

    /** The slowest round trip seen, or -1. */
    public long slowestNanos() {
        return slowestNanos.get();
    }

    /** How long attempt {@code attempt} (0 = first) waits for an answer now. */
    public long timeoutNanos(int attempt) {
        long s = slowestNanos.get();
        long base = s < 0 ? maxNanos : Math.max(minNanos, Math.min(maxNanos, s * FACTOR));
        return Math.min(base << Math.min(attempt, 8), maxNanos);
    }

    public long maxNanos() {
        return maxNanos;
    }
}
