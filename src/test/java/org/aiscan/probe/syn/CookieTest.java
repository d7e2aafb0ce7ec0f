package org.aiscan.probe.syn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class CookieTest {
    /** Key 00 01 … 0f, as SipHash's reference vectors use it. */
    private final Cookie reference = new Cookie(0x0706050403020100L, 0x0f0e0d0c0b0a0908L);

    @Test
    void matchesTheReferenceVectors() {
        // vectors_sip64[0], [8] and [16] of the reference implementation: message 00 01 … (n-1)
        assertEquals(0x726fdb47dd0e0e31L, reference.sipHash(new long[0], 0));
        assertEquals(0x93f5f5799a932462L, reference.sipHash(new long[] {0x0706050403020100L}, 1));
        assertEquals(0x3f2acc7f57c29bdbL, reference.sipHash(new long[] {0x0706050403020100L, 0x0f0e0d0c0b0a0908L}, 2));
    }

    @Test
    void everyInputBitMatters() {
        int base = reference.v4(0xC6120A0A, 8000, 61440);
        assertNotEquals(base, reference.v4(0xC6120A0B, 8000, 61440));
        assertNotEquals(base, reference.v4(0xC6120A0A, 8001, 61440));
        assertNotEquals(base, reference.v4(0xC6120A0A, 8000, 61441));
        assertNotEquals(reference.v6(1, 2, 80, 61440), reference.v6(1, 3, 80, 61440));
        assertNotEquals(base, Cookie.random().v4(0xC6120A0A, 8000, 61440));
    }
}
