package org.aiscan.target;

import org.aiscan.model.InvalidInputException;

/**
 * One part of a scan split over several machines: shard {@code index} of {@code count} (0-based,
 * so Kubernetes' {@code JOB_COMPLETION_INDEX} can be passed as is) takes every {@code count}-th
 * position of the shared permutation, starting at {@code index}. All shards use the same seed;
 * together they cover every probe exactly once.
 */
public record Shard(int index, int count) {
    public static final Shard WHOLE = new Shard(0, 1);

    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + "/" + count + " is out of range");
        }
    }

    /** Parses {@code I/N}, 0 ≤ I &lt; N. */
    public static Shard parse(String s) {
        String[] p = s.trim().split("/", -1);
        if (p.length != 2 || !p[0].matches("\\d{1,9}") || !p[1].matches("\\d{1,9}")) {
            throw new InvalidInputException("bad shard '" + s + "': expected I/N such as 0/4 (I counts from 0)");
        }
        int i = Integer.parseInt(p[0]);
        int n = Integer.parseInt(p[1]);
        if (n < 1 || i >= n) {
            throw new InvalidInputException("bad shard '" + s + "': I must be 0.." + Math.max(0, n - 1) + " for N=" + n);
        }
        return new Shard(i, n);
    }

    /** Number of positions of a {@code total}-sized space that belong to this shard. */
    public long sizeOf(long total) {
        return total <= index ? 0 : (total - index + count - 1) / count;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
