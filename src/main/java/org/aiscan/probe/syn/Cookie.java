package org.aiscan.probe.syn;

import java.security.SecureRandom;

/**
 * The SYN sequence number: SipHash-2-4 with a per-run secret key over (target address, target port,
 * our source port). A reply is ours only if it acknowledges {@code cookie + 1} (SYN-ACK, RST) or quotes
 * {@code cookie} (ICMP unreachable), so forged or stray packets are ignored without any state.
 */
final class Cookie {
    private final long k0;
    private final long k1;

    Cookie(long k0, long k1) {
        this.k0 = k0;
        this.k1 = k1;
    }

    static Cookie random() {
        SecureRandom r = new SecureRandom();
        return new Cookie(r.nextLong(), r.nextLong());
    }

    /** The 32-bit cookie for an IPv4 target. */
    int v4(int address, int targetPort, int sourcePort) {
        long m = ((address & 0xFFFF_FFFFL) << 32) | ((long) (targetPort & 0xFFFF) << 16) | (sourcePort & 0xFFFF);
        return (int) sipHash(new long[] {m}, 1);
    }

    /** The 32-bit cookie for an IPv6 target. */
    int v6(long hi, long lo, int targetPort, int sourcePort) {
        long m = ((long) (targetPort & 0xFFFF) << 16) | (sourcePort & 0xFFFF);
        return (int) sipHash(new long[] {hi, lo, m}, 3);
    }

    /**
     * SipHash-2-4 over {@code n} 64-bit little-endian words (the same result as the reference
     * implementation over their 8·n bytes).
     */
    long sipHash(long[] words, int n) {
        long v0 = 0x736f6d6570736575L ^ k0;
        long v1 = 0x646f72616e646f6dL ^ k1;
        long v2 = 0x6c7967656e657261L ^ k0;
        long v3 = 0x7465646279746573L ^ k1;
        for (int i = 0; i < n; i++) {
            long m = words[i];
            v3 ^= m;
            for (int r = 0; r < 2; r++) {
                v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
                v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
                v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
                v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= m;
        }
        long b = ((long) (n * 8) & 0xFF) << 56;
        v3 ^= b;
        for (int r = 0; r < 2; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        v0 ^= b;
        v2 ^= 0xFF;
        for (int r = 0; r < 4; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }
}
