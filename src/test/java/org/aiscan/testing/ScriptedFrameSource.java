package org.aiscan.testing;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Function;
import org.aiscan.probe.syn.FrameSource;
import org.aiscan.probe.syn.Ticker;

/**
 * A capture whose frames come from a script: each frame the engine sends ({@link #sent}) is given to
 * the script, and the frames it returns are captured {@code delayNanos} later, into a ring of
 * {@code capacity} frames; what does not fit is dropped and counted, as libpcap's ring does. The
 * receive thread reads the ring only while time passes ({@link FakeTicker#whileWaiting}, wired by
 * {@link #on}), so which answers a full ring loses does not depend on thread timing.
 */
public final class ScriptedFrameSource implements FrameSource {
    private final Ticker ticker;
    private final Function<byte[], List<byte[]>> script;
    private final long delayNanos;
    private final int capacity;
    private final Object lock = new Object();
    private final ArrayDeque<byte[]> ring = new ArrayDeque<>();
    private final ArrayDeque<Long> times = new ArrayDeque<>();
    private long received;
    private long captured;
    private long dropped;
    private boolean handling;
    private boolean reading;
    private boolean open = true;
    private boolean stopped;

    private ScriptedFrameSource(Ticker ticker, Function<byte[], List<byte[]>> script, long delayNanos, int capacity) {
        this.ticker = ticker;
        this.script = script;
        this.delayNanos = delayNanos;
        this.capacity = capacity;
    }

    /** A source on {@code ticker}'s clock, read whenever it waits. */
    public static ScriptedFrameSource on(FakeTicker ticker, Function<byte[], List<byte[]>> script, long delayNanos, int capacity) {
        ScriptedFrameSource s = new ScriptedFrameSource(ticker, script, delayNanos, capacity);
        ticker.whileWaiting(s::deliver);
        return s;
    }

    /** The wire: a frame the engine sent; the script's answers are captured. */
    public void sent(byte[] frame) {
        for (byte[] answer : script.apply(frame)) {
            push(answer, ticker.nanoTime() + delayNanos);
        }
    }

    /** Captures one frame, or drops it when the ring is full. */
    public void push(byte[] frame, long capturedNanos) {
        synchronized (lock) {
            received++;
            if (ring.size() >= capacity) {
                dropped++;
                return;
            }
            ring.add(frame);
            times.add(capturedNanos);
            captured++;
        }
    }

    /** Lets the receive thread read every frame in the ring; returns once it has (at most 10 s). */
    public void deliver() {
        long deadline = System.nanoTime() + 10_000_000_000L;
        synchronized (lock) {
            reading = true;
            lock.notifyAll();
            try {
                while ((!ring.isEmpty() || handling) && !stopped && System.nanoTime() < deadline) {
                    lock.wait(10);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                reading = false;
            }
        }
    }

    @Override
    public void loop(Handler handler) throws InterruptedException {
        while (true) {
            byte[] f;
            long t;
            synchronized (lock) {
                handling = false;
                lock.notifyAll();
                while (!stopped && (!reading || ring.isEmpty())) {
                    lock.wait();
                }
                if (stopped) {
                    return;
                }
                f = ring.poll();
                t = times.poll();
                handling = true;
            }
            handler.onFrame(f, t);
        }
    }

    @Override
    public void stop() {
        synchronized (lock) {
            stopped = true;
            lock.notifyAll();
        }
    }

    @Override
    public long captured() {
        synchronized (lock) {
            return captured;
        }
    }

    @Override
    public Stats stats() {
        synchronized (lock) {
            return new Stats(received, dropped, 0);
        }
    }

    public boolean closed() {
        synchronized (lock) {
            return !open;
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            open = false;
        }
    }
}
