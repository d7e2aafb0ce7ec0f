package org.aiscan.target;

import java.util.NoSuchElementException;
import org.aiscan.model.Address;
import org.jspecify.annotations.Nullable;

/**
 * Everything the probe stage walks: targets × ports in a seeded random order, restricted to one
 * shard. Position {@code x} of the permutation decodes to address {@code x / ports} and port
 * {@code x % ports}, so consecutive probes spread over hosts and ports alike.
 */
public final class ScanPlan {
    private final TargetSet targets;
    private final PortList ports;
    private final long seed;
    private final Shard shard;
    private final Permutation permutation;
    private final long total;
    /** A slice of the shard's order: ordinals here are {@code offset + 0 … offset + length - 1} there. */
    private final long offset;
    private final long length;
    /** For a view ({@link #only}, {@link #without}): the plan it picks from, and how; null otherwise. */
    private final @Nullable ScanPlan base;
    private final long @Nullable [] marks;
    private final boolean keep;

    public ScanPlan(TargetSet targets, PortList ports, long seed, Shard shard) {
        this.targets = targets;
        this.ports = ports;
        this.seed = seed;
        this.shard = shard;
        this.total = Math.multiplyExact(targets.size(), (long) ports.size());
        this.permutation = new Permutation(total, seed);
        this.offset = 0;
        this.length = shard.sizeOf(total);
        this.base = null;
        this.marks = null;
        this.keep = false;
    }

    private ScanPlan(ScanPlan whole, long offset, long length) {
        this.targets = whole.targets;
        this.ports = whole.ports;
        this.seed = whole.seed;
        this.shard = whole.shard;
        this.total = whole.total;
        this.permutation = whole.permutation;
        this.offset = whole.offset + offset;
        this.length = length;
        this.base = whole.base;
        this.marks = whole.marks;
        this.keep = whole.keep;
    }

    /** A view of {@code base}: its ordinals in {@code marks} (keep) or all but those (not keep). */
    private ScanPlan(ScanPlan base, long[] marks, boolean keep) {
        this.targets = base.targets;
        this.ports = base.ports;
        this.seed = base.seed;
        this.shard = base.shard;
        this.total = base.total;
        this.permutation = base.permutation;
        this.offset = 0;
        this.length = keep ? marks.length : base.probes() - marks.length;
        this.base = base;
        this.marks = marks;
        this.keep = keep;
    }

    /**
     * The probes of this plan at the given ordinals, as a plan of their own (ordinal {@code i} there
     * is {@code ordinals[i]} here, after sorting). With {@link #without} on the same ordinals it splits
     * one scan between two engines, each with its own dense ordinals, while both see the same
     * addresses, ports and order.
     */
    public ScanPlan only(long[] ordinals) {
        return new ScanPlan(this, checkedMarks(ordinals), true);
    }

    /** Every probe of this plan but those at the given ordinals, as a plan of its own (see {@link #only}). */
    public ScanPlan without(long[] ordinals) {
        return new ScanPlan(this, checkedMarks(ordinals), false);
    }

    private long[] checkedMarks(long[] ordinals) {
        long[] m = java.util.Arrays.stream(ordinals).sorted().distinct().toArray();
        if (m.length > 0 && (m[0] < 0 || m[m.length - 1] >= probes())) {
            throw new IllegalArgumentException("ordinal outside 0.." + (probes() - 1));
        }
        return m;
    }

    /** The base plan's ordinal for this view's {@code ordinal} (the view's slice offset applied). */
    private long toBase(long ordinal) {
        long o = offset + ordinal;
        if (keep) {
            return marks[(int) o];
        }
        // the o-th ordinal not in marks: o plus the marks at or below it
        long lo = o;
        int before = 0;
        while (true) {
            int n = upperBound(marks, lo);
            if (n == before) {
                return lo;
            }
            lo += n - before;
            before = n;
        }
    }

    /** This view's ordinal for a base ordinal, or -1 when the view leaves it out. */
    private long fromBase(long b) {
        if (b < 0) {
            return -1;
        }
        int i = java.util.Arrays.binarySearch(marks, b);
        long o;
        if (keep) {
            o = i < 0 ? -1 : i;
        } else {
            o = i >= 0 ? -1 : b + (i + 1); // b minus the marks below it (i = -(insertion point) - 1)
        }
        if (o < 0) {
            return -1;
        }
        o -= offset;
        return o >= 0 && o < length ? o : -1;
    }

    /** Number of elements of the sorted array that are {@code <= v}. */
    private static int upperBound(long[] a, long v) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Probes {@code from} (inclusive) to {@code to} (exclusive) of this plan's order, as a plan of
     * their own: its ordinal 0 is this plan's {@code from}. Engines run slices one after the other
     * when a scan keeps checkpoints.
     */
    public ScanPlan slice(long from, long to) {
        if (from < 0 || to > length || from > to) {
            throw new IllegalArgumentException("bad slice " + from + ".." + to + " of " + length);
        }
        return new ScanPlan(this, from, to - from);
    }

    public TargetSet targets() {
        return targets;
    }

    public PortList ports() {
        return ports;
    }

    public long seed() {
        return seed;
    }

    public Shard shard() {
        return shard;
    }

    /** Probes in the whole scan, all shards together. */
    public long totalProbes() {
        return total;
    }

    /** Probes in this shard (or slice or view of it). */
    public long probes() {
        return length;
    }

    /** The probe at position {@code ordinal} of this shard's (or slice's, or view's) order. */
    public Probe probeAt(long ordinal) {
        if (base != null) {
            Probe p = base.probeAt(toBase(ordinal));
            return new Probe(p.address(), p.port(), ordinal);
        }
        long global = shard.index() + (offset + ordinal) * shard.count();
        long x = permutation.at(global);
        int portCount = ports.size();
        return new Probe(targets.get(x / portCount), ports.get((int) (x % portCount)), ordinal);
    }

    /**
     * The ordinal in this shard of the probe to ({@code address}, {@code port}), or -1 if that probe
     * is not part of this shard. Lets a stateless receiver map a reply back to its probe.
     */
    public long ordinalOf(Address address, int port) {
        if (base != null) {
            return fromBase(base.ordinalOf(address, port));
        }
        long a = targets.indexOf(address);
        int p = ports.indexOf(port);
        if (a < 0 || p < 0) {
            return -1;
        }
        long global = permutation.indexOf(a * ports.size() + p);
        long rel = global - shard.index();
        if (rel < 0 || rel % shard.count() != 0) {
            return -1;
        }
        long ord = rel / shard.count() - offset;
        return ord >= 0 && ord < length ? ord : -1;
    }

    /** A cursor over the whole shard. */
    public Cursor cursor() {
        return new Cursor(0, 1);
    }

    /**
     * A cursor over lane {@code lane} of {@code lanes}: the shard's ordinals {@code ≡ lane (mod lanes)},
     * starting at ordinal {@code from}. Lanes let several engine threads share one shard.
     */
    public Cursor cursor(int lane, int lanes, long from) {
        if (lanes < 1 || lane < 0 || lane >= lanes || from < 0) {
            throw new IllegalArgumentException("bad lane " + lane + "/" + lanes + " from " + from);
        }
        long first = from + Math.floorMod(lane - from, (long) lanes);
        return new Cursor(first, lanes);
    }

    /** Iterates probe ordinals of one lane. Not thread-safe; one per thread. */
    public final class Cursor {
        private long next;
        private final long step;
        private final long end;

        private Cursor(long first, long step) {
            this.next = first;
            this.step = step;
            this.end = probes();
        }

        public boolean hasNext() {
            return next < end;
        }

        public Probe next() {
            if (next >= end) {
                throw new NoSuchElementException();
            }
            Probe p = probeAt(next);
            next += step;
            return p;
        }

        /** Probes this cursor has yet to hand out. */
        public long remaining() {
            return next >= end ? 0 : (end - next + step - 1) / step;
        }
    }
}
