package org.aiscan.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.aiscan.probe.syn.FrameSender;
import org.aiscan.probe.syn.Ticker;

/**
 * A frame sender that keeps a copy of every frame with the time it left (on the given clock), counts
 * flushes, and hands each frame to a listener: the wire of a {@link ScriptedFrameSource}. It can be
 * made to fail on a given frame, as a send() the kernel keeps refusing.
 */
public final class RecordingFrameSender implements FrameSender {
    /** One frame as it left. */
    public record Sent(byte[] frame, long nanos) {
    }

    private final Ticker ticker;
    private final Consumer<byte[]> wire;
    private final List<Sent> sent = new ArrayList<>();
    private int flushes;
    private boolean closed;
    private int failOn = -1;

    public RecordingFrameSender(Ticker ticker, Consumer<byte[]> wire) {
        this.ticker = ticker;
        this.wire = wire;
    }

    /** Throws on the {@code n}th frame (0-based) instead of sending it. */
    public RecordingFrameSender failingOn(int n) {
        this.failOn = n;
        return this;
    }

    @Override
    public synchronized void send(byte[] frame, int len) {
        if (sent.size() == failOn) {
            throw new IllegalStateException("send failed: No buffer space available");
        }
        byte[] copy = Arrays.copyOf(frame, len);
        sent.add(new Sent(copy, ticker.nanoTime()));
        wire.accept(copy);
    }

    /** Every frame sent so far, in order. */
    public synchronized List<Sent> sent() {
        return List.copyOf(sent);
    }

    /** The frames only. */
    public synchronized List<byte[]> frames() {
        return sent.stream().map(Sent::frame).toList();
    }

    public synchronized int flushes() {
        return flushes;
    }

    public synchronized boolean closed() {
        return closed;
    }

    @Override
    public synchronized void flush() {
        flushes++;
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
