package org.aiscan.testing;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.aiscan.probe.syn.Ticker;

/**
 * A clock that moves only when the code under test waits: a pacing wait or a wait for answers
 * advances it by exactly the time asked for, at once. Before a wait for answers ends, whatever
 * should happen meanwhile runs ({@link #whileWaiting}): a {@link ScriptedFrameSource} hands the
 * frames it holds to the receive thread, as the network would while time passes.
 */
public final class FakeTicker implements Ticker {
    /** The wall-clock time at nanosecond 0 of this clock's run. */
    public static final Instant START = Instant.parse("2026-12-01T00:00:00Z");
    /** Where the monotonic clock starts (an arbitrary value, as System.nanoTime's is). */
    public static final long ORIGIN = 5_000_000_000L;

    private final AtomicLong nanos = new AtomicLong(ORIGIN);
    private final AtomicLong parked = new AtomicLong();
    private final List<Runnable> meanwhile = new CopyOnWriteArrayList<>();

    /** Runs {@code r} each time the code under test waits for answers. */
    public FakeTicker whileWaiting(Runnable r) {
        meanwhile.add(r);
        return this;
    }

    /** Nanoseconds since {@link #ORIGIN}. */
    public long elapsed() {
        return nanos.get() - ORIGIN;
    }

    /** Total time spent in pacing waits. */
    public long parkedNanos() {
        return parked.get();
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    @Override
    public void park(long n) {
        long step = Math.max(1, n);
        parked.addAndGet(step);
        nanos.addAndGet(step);
    }

    @Override
    public void sleep(long millis) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        meanwhile.forEach(Runnable::run);
        nanos.addAndGet(Math.max(1, millis) * 1_000_000L);
    }

    @Override
    public Instant now() {
        return START.plusNanos(elapsed());
    }
}
