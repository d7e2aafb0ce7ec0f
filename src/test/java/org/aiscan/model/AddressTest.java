package org.aiscan.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressTest {
    @ParameterizedTest
    @CsvSource({
        "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "0:0:0:0:0:0:0:0, ::",
        "0:0:0:0:0:0:0:1, ::1",
        "FE80::1, fe80::1",
        "2001:2:0:0:0:0:0:10, 2001:2::10",
        "1:0:0:2:0:0:0:3, 1:0:0:2::3",
    })
    void printsRfc5952(String in, String out) {
        assertEquals(out, Address.parse(in).toString());
    }

    @Test
    void roundTripsThroughInetAddress() throws Exception {
        for (String s : new String[] {"198.18.0.10", "0.0.0.0", "255.255.255.255", "2001:2::10", "::1"}) {
            Address a = Address.parse(s);
            assertEquals(a, Address.of(InetAddress.getByName(s)));
            assertEquals(a, Address.of(a.toInetAddress()));
        }
    }

    @Test
    void plusCarriesAcrossHalves() {
        Address a = Address.parse("2001:2::ffff:ffff:ffff:ffff");
        assertEquals("2001:2:0:1::", a.plus(1).toString());
        assertEquals("198.18.1.0", Address.parse("198.18.0.255").plus(1).toString());
    }

    @Test
    void ordersIpv4BeforeIpv6AndNumerically() {
        assertTrue(Address.parse("198.18.0.2").compareTo(Address.parse("198.18.0.10")) < 0);
        assertTrue(Address.parse("255.255.255.255").compareTo(Address.parse("::")) < 0);
        assertTrue(Address.parse("8000::").compareTo(Address.parse("::1")) > 0);
    }

    @Test
    void neverResolvesNames() {
        assertThrows(IllegalArgumentException.class, () -> Address.parse("localhost"));
        assertThrows(IllegalArgumentException.class, () -> Address.parse("example.com"));
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1, true", "127.255.255.254, true", "126.255.255.255, false", "128.0.0.1, false",
        "::1, true", "::2, false", "::, false", "1::1, false"})
    void loopbackIs127Slash8AndColonColon1(String a, boolean loopback) {
        assertEquals(loopback, Address.parse(a).isLoopback());
    }
}
