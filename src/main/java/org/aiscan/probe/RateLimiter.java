package org.aiscan.probe;

/**
 * A token bucket counted in packets (not targets, so retries are paced too). Tokens accrue at
 * {@code rate} per second up to a small burst; {@link #tryAcquire} is non-blocking and
 * {@link #nanosUntilNext} tells a caller how long to wait. Not thread-safe: one per sending thread,
 * each with its share of the rate.
 */
public final class RateLimiter {
    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;

    /**
     * @param rate packets per second, 0 for unlimited
     * @param burst largest number of packets sent back to back after an idle period (at least 1)
     */
    public RateLimiter(double rate, double burst) {
        this(rate, burst, System.nanoTime());
    }

    /** A bucket whose clock starts at {@code nowNanos} (another clock than {@link System#nanoTime()}: a test's). */
    public RateLimiter(double rate, double burst, long nowNanos) {
        this.perNano = rate <= 0 ? 0 : rate / 1e9;
        this.burst = Math.max(1, burst);
        this.tokens = Math.min(this.burst, 1);
        this.last = nowNanos;
    }

    /**
     * A bucket whose burst is about 5 ms worth of packets (at least one): enough that a sender
     * woken a little late by a millisecond timer does not lose tokens, small enough that the rate
     * holds over any 10 ms window.
     */
    public static RateLimiter perSecond(double rate) {
        return new RateLimiter(rate, Math.max(1, rate / 200));
    }

    public boolean unlimited() {
        return perNano == 0;
    }

    private void refill(long now) {
        if (now > last) {
            tokens = Math.min(burst, tokens + (now - last) * perNano);
            last = now;
        }
    }

    /** Takes one token if available. */
    public boolean tryAcquire(long now) {
        if (perNano == 0) {
            return true;
        }
        refill(now);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Nanoseconds until a token is available (0 if one is). */
    public long nanosUntilNext(long now) {
        if (perNano == 0) {
            return 0;
        }
        refill(now);
        return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perNano);
    }
}
