package org.aiscan.target;

import java.util.NoSuchElementException;

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

    public ScanPlan(TargetSet targets, PortList ports, long seed, Shard shard) {
        this.targets = targets;
        this.ports = ports;
        this.seed = seed;
        this.shard = shard;
        this.total = Math.multiplyExact(targets.size(), (long) ports.size());
        this.permutation = new Permutation(total, seed);
        this.offset = 0;
        this.length = shard.sizeOf(total);
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

    /** Probes in this shard (or slice of it). */
    public long probes() {
        return length;
    }

    /** The probe at position {@code ordinal} of this shard's (or slice's) order. */
    public Probe probeAt(long ordinal) {
        long global = shard.index() + (offset + ordinal) * shard.count();
        long x = permutation.at(global);
        int portCount = ports.size();
        return new Probe(targets.get(x / portCount), ports.get((int) (x % portCount)), ordinal);
    }

    /**
     * The ordinal in this shard of the probe to ({@code address}, {@code port}), or -1 if that probe
     * is not part of this shard. Lets a stateless receiver map a reply back to its probe.
     */
    public long ordinalOf(org.aiscan.model.Address address, int port) {
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
