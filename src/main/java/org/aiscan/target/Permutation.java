package org.aiscan.target;

/**
 * A keyed pseudo-random bijection on {@code [0, size)} in O(1) memory: a balanced Feistel network
 * over the smallest even power of two that covers {@code size}, with cycle-walking to stay inside
 * the range (Black and Rogaway, "Ciphers with Arbitrary Finite Domains"; masscan's blackrock uses
 * the same idea). Any Feistel network is a permutation whatever its round function, so
 * completeness does not depend on the quality of the mixing; the mixing only decides how random
 * the order looks. The same seed always gives the same order.
 */
public final class Permutation {
    private static final int ROUNDS = 6;

    private final long size;
    private final int halfBits;
    private final long halfMask;
    private final long[] keys = new long[ROUNDS];

    public Permutation(long size, long seed) {
        if (size < 0 || size > (1L << 62)) {
            throw new IllegalArgumentException("permutation size out of range: " + size);
        }
        this.size = size;
        int bits = 2;
        while (bits < 62 && (1L << bits) < size) {
            bits++;
        }
        if ((bits & 1) == 1) {
            bits++;
        }
        this.halfBits = bits / 2;
        this.halfMask = (1L << halfBits) - 1;
        long s = seed;
        for (int i = 0; i < ROUNDS; i++) {
            s += 0x9E3779B97F4A7C15L;
            keys[i] = mix(s);
        }
    }

    public long size() {
        return size;
    }

    /** The element at position {@code i} of the permuted order. */
    public long at(long i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i + " not in [0," + size + ")");
        }
        long x = encrypt(i);
        while (x >= size) { // cycle-walk: expected < 4 steps because the domain is < 4 × size
            x = encrypt(x);
        }
        return x;
    }

    /** The position of {@code value} in the permuted order: {@code at(indexOf(v)) == v}. */
    public long indexOf(long value) {
        if (value < 0 || value >= size) {
            throw new IndexOutOfBoundsException(value + " not in [0," + size + ")");
        }
        long x = decrypt(value);
        while (x >= size) { // walking the cycle backwards lands on the preimage inside the range
            x = decrypt(x);
        }
        return x;
    }

    private long decrypt(long x) {
        long left = x >>> halfBits;
        long right = x & halfMask;
        for (int r = ROUNDS - 1; r >= 0; r--) {
            long prevRight = left;
            long prevLeft = right ^ (mix(left ^ keys[r]) & halfMask);
            left = prevLeft;
            right = prevRight;
        }
        return (left << halfBits) | right;
    }

    private long encrypt(long x) {
        long left = x >>> halfBits;
        long right = x & halfMask;
        for (int r = 0; r < ROUNDS; r++) {
            long f = mix(right ^ keys[r]) & halfMask;
            long nextRight = left ^ f;
            left = right;
            right = nextRight;
        }
        return (left << halfBits) | right;
    }

    /** SplitMix64's finaliser: a fast, well-distributed 64-bit mix. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
