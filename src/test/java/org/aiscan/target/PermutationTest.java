package org.aiscan.target;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PermutationTest {
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 5, 16, 17, 255, 256, 1000, 1024, 4097, 65_535, 262_140, 1_000_003})
    void isABijectionOnItsDomain(long size) {
        Permutation p = new Permutation(size, 42);
        BitSet seen = new BitSet((int) size);
        for (long i = 0; i < size; i++) {
            long x = p.at(i);
            assertTrue(x >= 0 && x < size, "value out of range: " + x);
            assertFalse(seen.get((int) x), "value " + x + " produced twice");
            seen.set((int) x);
        }
        assertEquals(size, seen.cardinality());
    }

    @Test
    void sameSeedSameOrderOtherSeedOtherOrder() {
        long[] a = take(new Permutation(100_000, 7), 1000);
        long[] b = take(new Permutation(100_000, 7), 1000);
        long[] c = take(new Permutation(100_000, 8), 1000);
        assertArrayEquals(a, b);
        int same = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == c[i]) {
                same++;
            }
        }
        assertTrue(same < 10, "different seeds should give different orders, " + same + " positions agree");
    }

    @Test
    void orderLooksShuffled() {
        // Consecutive positions should not walk the domain in order: count ascending neighbours.
        Permutation p = new Permutation(1 << 20, 99);
        int ascending = 0;
        long prev = p.at(0);
        for (int i = 1; i < 10_000; i++) {
            long x = p.at(i);
            if (x == prev + 1) {
                ascending++;
            }
            prev = x;
        }
        assertTrue(ascending < 10, "too many consecutive neighbours: " + ascending);
    }

    @Test
    void aSlash8TimesThirtyPortsIsABijectionWithoutMaterialising() {
        long size = (1L << 24) * 30; // 503 million probes: an array of them would need 4 GB
        Permutation p = new Permutation(size, 1);
        java.util.Set<Long> seen = new java.util.HashSet<>();
        int[] buckets = new int[16];
        java.util.Random r = new java.util.Random(5);
        for (int k = 0; k < 20_000; k++) {
            long i = Math.floorMod(r.nextLong(), size);
            long x = p.at(i);
            assertTrue(x >= 0 && x < size, "in range: " + x);
            assertEquals(i, p.indexOf(x), "the inverse finds the position back, so no two positions share a value");
            seen.add(x);
            buckets[(int) (x * 16 / size)]++;
        }
        assertTrue(seen.size() > 19_990, "sampled positions map to distinct values: " + seen.size());
        for (int c : buckets) {
            assertTrue(c > 1000 && c < 1500, "values spread over the whole domain: " + java.util.Arrays.toString(buckets));
        }
    }

    private static long[] take(Permutation p, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = p.at(i);
        }
        return out;
    }
}
