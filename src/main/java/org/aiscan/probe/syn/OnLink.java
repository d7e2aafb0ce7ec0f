package org.aiscan.probe.syn;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.aiscan.model.Address;
import org.aiscan.target.AddressRange;
import org.aiscan.target.ExclusionList;
import org.aiscan.target.TargetSet;

/**
 * The targets a SYN scan reaches on its own link, and their link-layer addresses as they are learnt
 * (from the kernel's neighbour table first, then from ARP replies and neighbour advertisements).
 * A host whose address is not known gets no SYN. Each entry also records the SYN round during which
 * it was learnt, so that a host that answered late still gets a pass of its own.
 */
final class OnLink {
    /** Above this many on-link targets the per-host table would cost more than it is worth. */
    static final long MAX_HOSTS = 1L << 20;
    private static final long KNOWN = 1L << 63;
    private static final int ROUND_SHIFT = 48;
    private static final long MAC_MASK = (1L << 48) - 1;

    private final TargetSet hosts;
    private final AtomicLongArray entries;
    /** When each host was last asked (System.nanoTime), for round-trip samples; written by the sender. */
    private final long[] asked;
    private final AtomicInteger known = new AtomicInteger();
    private final AtomicInteger fromKernel = new AtomicInteger();
    private volatile int round;
    private final AtomicInteger lastLearnt = new AtomicInteger(-1);

    OnLink(List<AddressRange> ranges) {
        this.hosts = TargetSet.build(ranges, ExclusionList.empty());
        if (hosts.size() > MAX_HOSTS) {
            throw new IllegalArgumentException("too many on-link targets for one neighbour table");
        }
        this.entries = new AtomicLongArray((int) hosts.size());
        this.asked = new long[(int) hosts.size()];
    }

    long size() {
        return hosts.size();
    }

    boolean hasV4() {
        return !hosts.isEmpty() && !hosts.get(0).isV6();
    }

    boolean hasV6() {
        return !hosts.isEmpty() && hosts.get(hosts.size() - 1).isV6();
    }

    Address host(long i) {
        return hosts.get(i);
    }

    /** The host's index, or -1 when {@code a} is not an on-link target. */
    long index(Address a) {
        return hosts.indexOf(a);
    }

    /** The host's MAC in the low 48 bits, or -1 while it is not known. */
    long mac(long i) {
        long e = entries.get((int) i);
        return (e & KNOWN) == 0 ? -1 : e & MAC_MASK;
    }

    /** The SYN round during which the host was learnt (0: before the first SYN was sent). */
    int learntIn(long i) {
        return (int) ((entries.get((int) i) & ~KNOWN) >>> ROUND_SHIFT);
    }

    int known() {
        return known.get();
    }

    int fromKernel() {
        return fromKernel.get();
    }

    /** The last SYN round in which a host was learnt, -1 if none was learnt after SYNs began. */
    int lastRoundLearnt() {
        return lastLearnt.get();
    }

    /** Starts SYN round {@code r} (1 for the first pass): hosts learnt from now on are marked with it. */
    void round(int r) {
        round = r;
    }

    void asked(long i, long nanos) {
        asked[(int) i] = nanos;
    }

    long askedAt(long i) {
        return asked[(int) i];
    }

    /** Records {@code a}'s MAC; false if {@code a} is not an on-link target or was known already. */
    boolean learn(Address a, long mac) {
        long i = index(a);
        if (i < 0 || mac == 0) {
            return false;
        }
        int r = round;
        if (!entries.compareAndSet((int) i, 0, KNOWN | ((long) r << ROUND_SHIFT) | (mac & MAC_MASK))) {
            return false;
        }
        known.incrementAndGet();
        if (r > 0) {
            lastLearnt.accumulateAndGet(r, Math::max);
        }
        return true;
    }

    /** Records an entry of the kernel's neighbour table. */
    void learnFromKernel(Address a, long mac) {
        if (learn(a, mac)) {
            fromKernel.incrementAndGet();
        }
    }
}
