package org.aiscan.probe;

import java.util.concurrent.atomic.LongAdder;
import org.aiscan.model.PortState;

/** Live counters of a run, written by engine threads and read by the progress display. */
public final class ScanProgress {
    private final long total;
    private final long startNanos = System.nanoTime();
    private final LongAdder sent = new LongAdder();
    private final LongAdder done = new LongAdder();
    private final LongAdder open = new LongAdder();
    private final LongAdder closed = new LongAdder();
    private final LongAdder filtered = new LongAdder();
    private final LongAdder retries = new LongAdder();

    public ScanProgress(long total) {
        this.total = total;
    }

    public void sent() {
        sent.increment();
    }

    public void retried() {
        retries.increment();
    }

    public void decided(PortState s) {
        done.increment();
        switch (s) {
            case OPEN -> open.increment();
            case CLOSED -> closed.increment();
            case FILTERED -> filtered.increment();
        }
    }

    /** Counts carried over from an earlier, interrupted part of the same scan (a resumed run). */
    public void carryOver(long sentBefore, long doneBefore, long openBefore, long closedBefore, long filteredBefore) {
        sent.add(sentBefore);
        done.add(doneBefore);
        open.add(openBefore);
        closed.add(closedBefore);
        filtered.add(filteredBefore);
    }

    public long total() {
        return total;
    }

    public long sentCount() {
        return sent.sum();
    }

    public long doneCount() {
        return done.sum();
    }

    public long openCount() {
        return open.sum();
    }

    public long closedCount() {
        return closed.sum();
    }

    public long filteredCount() {
        return filtered.sum();
    }

    public long retryCount() {
        return retries.sum();
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
