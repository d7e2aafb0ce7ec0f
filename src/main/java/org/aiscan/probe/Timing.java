package org.aiscan.probe;

/**
 * Adaptive probe timeouts in the manner of TCP's retransmission timer (Jacobson/Karels, RFC 6298):
 * a smoothed round trip {@code srtt} and its mean deviation {@code rttvar} are kept from every
 * timed answer, and a first attempt waits {@code srtt + 4·rttvar}, clamped to [min, max]. Until an
 * answer has been timed a probe waits the maximum. Each retry waits twice as long as the attempt
 * before it (up to the maximum), so a host slower than the rest still gets its chance. One slow
 * outlier moves the estimate a little, not the whole scan. Thread-safe.
 */
public final class Timing {
    private final long minNanos;
    private final long maxNanos;
    private long srtt = -1;
    private long rttvar;
    private long slowest = -1;
    private long samples;
    private volatile long current;

    public Timing(int minMillis, int maxMillis) {
        this.minNanos = minMillis * 1_000_000L;
        this.maxNanos = maxMillis * 1_000_000L;
        this.current = maxNanos;
    }

    /** Records one measured round trip. */
    public synchronized void sample(long rttNanos) {
        if (rttNanos < 0) {
            return;
        }
        samples++;
        slowest = Math.max(slowest, rttNanos);
        if (srtt < 0) {
            srtt = rttNanos;
            rttvar = rttNanos / 2;
        } else {
            long err = rttNanos - srtt;
            srtt += err / 8;
            rttvar += (Math.abs(err) - rttvar) / 4;
        }
        current = Math.max(minNanos, Math.min(maxNanos, srtt + 4 * rttvar));
    }

    /** How long attempt {@code attempt} (0 = first) waits for an answer now. */
    public long timeoutNanos(int attempt) {
        long base = current;
        return Math.min(base << Math.min(attempt, 8), Math.max(base, maxNanos));
    }

    /** The slowest round trip seen, or -1. */
    public synchronized long slowestNanos() {
        return slowest;
    }

    /** The smoothed round trip, or -1 before the first answer. */
    public synchronized long smoothedNanos() {
        return srtt;
    }

    public synchronized long sampleCount() {
        return samples;
    }

    public long maxNanos() {
        return maxNanos;
    }

    /** One line for the run's notes: what the round trips looked like and what probes waited. */
    public synchronized String describe() {
        if (samples == 0) {
            return "no answer was timed; probes waited the full " + maxNanos / 1_000_000 + " ms";
        }
        return String.format(java.util.Locale.ROOT, "round trips: smoothed %.1f ms, slowest %.1f ms over %,d answers; first attempts waited %.0f ms",
                srtt / 1e6, slowest / 1e6, samples, current / 1e6);
    }
}
