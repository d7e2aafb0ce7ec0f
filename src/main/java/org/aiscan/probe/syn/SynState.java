package org.aiscan.probe.syn;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the send threads and the receive thread of one SYN run share: a bit per probe for "answered"
 * and one for "sent", the counters the end of each pass waits on, and a ring of recent send times
 * for round-trip samples without per-probe state.
 */
final class SynState {
    static final int RING = 1 << 14;
    /** Every 8th probe's send time is kept (in a ring of {@value #RING}) to time round trips. */
    static final int SAMPLE_EVERY = 8;
    /** {@link #sentAt(long)} for a probe whose send time was not kept. */
    static final long NOT_SAMPLED = Long.MIN_VALUE;

    final Cookie cookie;
    final OnLink onLink;
    final AtomicLong answered = new AtomicLong();
    final AtomicLong sentUnique = new AtomicLong();
    final AtomicLong packets = new AtomicLong();
    final AtomicLong lastSend;
    final AtomicLong slowest = new AtomicLong(-1);
    final AtomicLong invalid = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    /** Frames the receive thread has read, all kinds: compared with the capture's count before the end. */
    final AtomicLong frames = new AtomicLong();
    final AtomicLong slowestNeighbour = new AtomicLong(-1);
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLongArray answeredBits;
    /** Probes sent at least once: retransmissions are counted apart, and a late round's first send is not one. */
    private final AtomicLongArray sentBits;
    private final long[] ringOrdinal = new long[RING];
    private final long[] ringTime = new long[RING];

    /** @param onLink the on-link targets and their MACs, null when there are none */
    SynState(long probes, Cookie cookie, OnLink onLink, long startNanos) {
        this.cookie = cookie;
        this.onLink = onLink;
        this.lastSend = new AtomicLong(startNanos);
        this.answeredBits = new AtomicLongArray((int) ((probes + 63) >>> 6));
        this.sentBits = new AtomicLongArray((int) ((probes + 63) >>> 6));
        Arrays.fill(ringOrdinal, -1);
    }

    boolean isAnswered(long ord) {
        return (answeredBits.get((int) (ord >>> 6)) & (1L << (ord & 63))) != 0;
    }

    /** Sets the answered bit; true if it was already set. */
    boolean testAndSet(long ord) {
        return testAndSet(answeredBits, ord);
    }

    /** Sets the sent bit; true if the probe had been sent before. */
    boolean testAndSetSent(long ord) {
        return testAndSet(sentBits, ord);
    }

    /** Keeps the send time of every {@value #SAMPLE_EVERY}th probe. */
    void sentAt(long ord, long nanos) {
        if ((ord & (SAMPLE_EVERY - 1)) == 0) {
            int slot = (int) ((ord / SAMPLE_EVERY) & (RING - 1));
            ringTime[slot] = nanos;
            ringOrdinal[slot] = ord;
        }
    }

    /** When the probe was last sent, if the ring holds it; {@link #NOT_SAMPLED} otherwise. */
    long sentAt(long ord) {
        int slot = (int) ((ord / SAMPLE_EVERY) & (RING - 1));
        return (ord & (SAMPLE_EVERY - 1)) == 0 && ringOrdinal[slot] == ord ? ringTime[slot] : NOT_SAMPLED;
    }

    boolean failed() {
        return failure.get() != null;
    }

    private static boolean testAndSet(AtomicLongArray a, long ord) {
        int i = (int) (ord >>> 6);
        long mask = 1L << (ord & 63);
        while (true) {
            long v = a.get(i);
            if ((v & mask) != 0) {
                return true;
            }
            if (a.compareAndSet(i, v, v | mask)) {
                return false;
            }
        }
    }
}
