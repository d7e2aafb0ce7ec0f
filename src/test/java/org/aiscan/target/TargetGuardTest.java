package org.aiscan.target;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.aiscan.model.Address;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TargetGuardTest {
    private final TargetGuard lab = TargetGuard.parse("127.0.0.0/8,::1/128,198.18.0.0/15,2001:2::/48");

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.255.255.254", "198.18.0.10", "198.19.255.255", "::1", "2001:2::10", "2001:2:0:ffff::1"})
    void allowsLoopbackAndTheLabRanges(String a) {
        assertDoesNotThrow(() -> lab.check(Address.parse(a)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "192.168.1.1", "203.0.113.5", "198.20.0.1", "198.17.255.255", "8.8.8.8",
        "192.0.2.2", "::2", "2001:3::1", "2001:2:1::1", "fd00::2", "128.0.0.1", "126.255.255.255"})
    void refusesEverythingElse(String a) {
        assertThrows(SecurityException.class, () -> lab.check(Address.parse(a)));
    }

    @Test
    void testsRunUnderARestrictedGuard() {
        // Surefire and failsafe set AISCAN_ALLOWED_NETS; if this fails, the build lost that safety net.
        TargetGuard env = TargetGuard.parse(System.getenv(TargetGuard.ENV));
        assertTrue(env.restricted(), "AISCAN_ALLOWED_NETS must be set for tests");
        assertFalse(env.allows(Address.parse("192.0.2.2")));
        assertFalse(env.allows(Address.parse("10.255.255.53")));
    }

    @Test
    void unsetMeansUnrestricted() {
        assertTrue(TargetGuard.parse(null).allows(Address.parse("8.8.8.8")));
    }
}
