package org.aiscan.probe.syn;

import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

/**
 * The SYN engine's clock: the monotonic time it paces and times round trips by, how it waits, and
 * the wall-clock time its verdicts carry. {@link #SYSTEM} in scans; a fake one in tests, which moves
 * only when the engine waits.
 */
public interface Ticker {
    /** The system's clocks and waits. */
    Ticker SYSTEM = new Ticker() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void park(long nanos) {
            LockSupport.parkNanos(nanos);
        }

        @Override
        public void sleep(long millis) throws InterruptedException {
            Thread.sleep(millis);
        }

        @Override
        public Instant now() {
            return Instant.now();
        }
    };

    /** Monotonic nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Waits about {@code nanos} (a pacing wait; not interruptible). */
    void park(long nanos);

    /** Waits {@code millis} (a wait for answers). */
    void sleep(long millis) throws InterruptedException;

    /** The wall-clock time a verdict is dated with. */
    Instant now();
}
