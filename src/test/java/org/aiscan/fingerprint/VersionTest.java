package org.aiscan.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VersionTest {
    @ParameterizedTest
    @CsvSource({
        "0.10.1.1, 0.10.1, 1",
        "0.1.34, 0.1.4, 1",
        "1.83.7-stable, 1.83.7, 0",
        "3.1.0rc17, 3.1.0, -1",
        "3.1.0rc17, 3.1.0rc2, 1",
        "0.5.0.post2, 0.5.0, 1",
        "v2.29.0 (a1b2c3d), 2.29.0, 0",
        "b6123-1a2b3c4d, b3561, 1",
        "2.0, 2.0.0, 0",
        "1.0.0.dev1, 1.0.0, -1",
    })
    void compares(String a, String b, int sign) {
        assertEquals(sign, Integer.signum(Version.parse(a).compareTo(Version.parse(b))), a + " vs " + b);
    }

    @Test
    void unparseableIsNull() {
        assertNull(Version.parse("latest"));
        assertNull(Version.parse(""));
    }

    @Test
    void ranges() {
        Version.Range r = Version.Range.parse(">= 0.3.0, < 0.22.0");
        assertTrue(r.contains(Version.parse("0.10.1.1")));
        assertFalse(r.contains(Version.parse("0.22.0")));
        assertFalse(r.contains(Version.parse("0.2.9")));
        Version.Range or = Version.Range.parse("< 3.39.2 || >= 4.0.0, < 4.0.5");
        assertTrue(or.contains(Version.parse("3.39.1")));
        assertFalse(or.contains(Version.parse("3.40.0")));
        assertTrue(or.contains(Version.parse("4.0.4")));
        assertTrue(Version.Range.parse("== 1.9.1").contains(Version.parse("1.9.1")));
        assertThrows(IllegalArgumentException.class, () -> Version.Range.parse("below 2"));
    }
}
